using System.Buffers;
using Gateway.Protocol.Client;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// The outbound client's reply assembler: what ReplyWriter writes comes back as the same replies (code, and
/// each line's status and text) however the bytes are split; on hostile bytes it never throws, answers the same
/// for any split, and never holds more than one capped line.
/// </summary>
public sealed class ReplyAssemblerFuzzTests
{
    private static readonly string[] Words = ["OK", "mx.example.org", "ESMTP", "8BITMIME", "SIZE 10240000", "Ünïcødé", "日本", "😀", "a\tb", " ", "", "x-y_z", "=+/\\\"<>"];

    [Fact]
    public void Written_replies_come_back_whole_for_any_split() =>
        FuzzRun.Check($"{nameof(ReplyAssemblerFuzzTests)}.RoundTrip", 10_000, random =>
        {
            var replies = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Reply(random)).ToArray();
            var wire = new ArrayBufferWriter<byte>();
            foreach (var reply in replies)
            {
                ReplyWriter.Write(wire, reply);
            }

            var (taken, malformed) = Assemble(LineFramerFuzzTests.Pieces(wire.WrittenSpan.ToArray(), random.Cuts(wire.WrittenCount)), ReplyAssembler.DefaultMaxLine, new ReplyAssembler());

            Assert.Null(malformed);
            Assert.Equal(replies.Select(Expected), taken);
        });

    [Fact]
    public void Hostile_bytes_give_the_same_replies_for_any_split_and_a_bounded_buffer() =>
        FuzzRun.Check($"{nameof(ReplyAssemblerFuzzTests)}.Hostile", 10_000, random =>
        {
            var maxLine = random.OneIn(2) ? ReplyAssembler.DefaultMaxLine : random.Next(3, 64);
            var maxLines = random.OneIn(2) ? ReplyAssembler.DefaultMaxLines : random.Next(1, 8);
            var wire = new ArrayBufferWriter<byte>();
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                ReplyWriter.Write(wire, Reply(random));
            }

            var hostile = Mutate.Bytes(random, wire.WrittenSpan.ToArray(), maxLength: 1 << 14);

            var whole = Assemble([hostile], maxLine, new ReplyAssembler(maxLine, maxLines));
            var split = Assemble(LineFramerFuzzTests.Pieces(hostile, random.Cuts(hostile.Length)), maxLine, new ReplyAssembler(maxLine, maxLines));

            Assert.Equal(whole.Replies, split.Replies);
            Assert.Equal(whole.Malformed is null, split.Malformed is null);
        });

    private static (List<string> Replies, string? Malformed) Assemble(byte[][] pieces, int maxLine, ReplyAssembler assembler)
    {
        var replies = new List<string>();
        foreach (var piece in pieces)
        {
            assembler.Append(piece);
            while (assembler.TryTake() is { } reply)
            {
                Assert.InRange(reply.Code, 0, 999);
                replies.Add($"{reply.Code}|{string.Join("|", reply.Lines)}");
            }

            // One line in the making, its CR included: the cap is what stops an endless line from being held.
            Assert.True(assembler.Malformed is not null || assembler.Pending <= maxLine + 1, $"{assembler.Pending} bytes pending");
        }

        return (replies, assembler.Malformed);
    }

    private static Reply Reply(FuzzRandom random)
    {
        var code = (ReplyCode)random.Next(200, 600);
        EnhancedStatus? status = random.OneIn(3) ? null : new EnhancedStatus(random.Next(2, 6), random.Next(0, 8), random.Next(0, 1000));
        var lines = Enumerable.Range(0, random.OneIn(4) ? random.Next(1, 40) : random.Next(1, 4))
            .Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Pick(Words))))
            .ToArray();
        return new Reply(code, status, lines);
    }

    private static string Expected(Reply reply) =>
        $"{(int)reply.Code}|{string.Join("|", reply.Lines.Select(l => (reply.Status is { } s ? $"{s} " : "") + Printable(l)))}";

    /// <summary>What the assembler promises to hand a caller: control characters (here TAB) shown as \xHH.</summary>
    private static string Printable(string text) => text.Replace("\t", "\\x09", StringComparison.Ordinal);
}
