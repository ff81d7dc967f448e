using System.Text;
using System.Text.RegularExpressions;
using Gateway.Cli;
using Gateway.Load;

namespace Gateway.Tests.Load;

/// <summary>
/// The message a load run sends: <see cref="LoadPlan.Size"/> counts the message (headers and body), not the
/// end-of-data line <c>.\r\n</c> that follows it.
/// </summary>
public sealed partial class LoadScriptTests
{
    private const string EndOfData = "\r\n.\r\n";

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    [InlineData(2048)]
    [InlineData(10_000)]
    [InlineData(1024 * 1024)]
    public void A_message_is_well_formed_at_every_size(int size)
    {
        var script = new LoadScript(Plan(size));

        var message = Message(script, client: 3, sequence: 17);

        Assert.EndsWith(EndOfData, message, StringComparison.Ordinal);
        AssertLines(message);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(2048)]
    [InlineData(10_000)]
    [InlineData(1024 * 1024)]
    public void A_message_at_least_as_long_as_its_headers_is_exactly_the_planned_size(int size)
    {
        var script = new LoadScript(Plan(size));
        var headers = script.MessageHead(0, 0).Length;

        var message = Message(script, client: 3, sequence: 17);

        Assert.True(size >= headers + 2, $"{size} bytes is shorter than the {headers} bytes of headers");
        Assert.Equal(size, Encoding.UTF8.GetByteCount(message) - ".\r\n".Length);
    }

    [Fact]
    public void Every_size_from_the_headers_up_is_met_exactly_except_one_byte_past_them()
    {
        // The headers' length depends on the process id, so which sizes leave a remainder of 1 or 2 bytes
        // after the 78-byte body lines varies by run: try every remainder, relative to the headers.
        var headers = new LoadScript(Plan(0)).MessageHead(0, 0).Length;
        var sizes = Enumerable.Range(headers, (3 * 78) + 3).Where(s => s != headers + 1);

        foreach (var size in sizes)
        {
            var script = new LoadScript(Plan(size));

            var message = Message(script, client: 0, sequence: 0);

            Assert.True(size == message.Length - ".\r\n".Length, $"size {size} (headers {headers}) gave {message.Length - 3} bytes");
            AssertLines(message);
        }
    }

    [Fact]
    public void One_byte_past_the_headers_cannot_be_a_line_and_the_message_stays_well_formed()
    {
        var headers = new LoadScript(Plan(0)).MessageHead(0, 0).Length;
        var script = new LoadScript(Plan(headers + 1));

        var message = Message(script, client: 0, sequence: 0);

        Assert.Equal(headers, message.Length - ".\r\n".Length);
        Assert.EndsWith("\r\n\r\n.\r\n", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void A_size_smaller_than_the_headers_sends_the_headers_alone(int size)
    {
        var script = new LoadScript(Plan(size));
        var head = Encoding.UTF8.GetString(script.MessageHead(1, 2));

        var message = Message(script, client: 1, sequence: 2);

        Assert.Equal(head + ".\r\n", message);
        Assert.EndsWith("\r\n\r\n", head, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(10_000)]
    public void Two_messages_differ_only_in_their_message_id(int size)
    {
        var script = new LoadScript(Plan(size));

        var first = Message(script, client: 0, sequence: 0);
        var second = Message(script, client: 12, sequence: 345);

        Assert.Equal(first.Length, second.Length);
        Assert.NotEqual(MessageId(first), MessageId(second));
        Assert.Equal(MessageIdLine().Replace(first, "Message-ID: <>"), MessageIdLine().Replace(second, "Message-ID: <>"));
    }

    [Fact]
    public void Message_ids_are_unique_per_client_and_sequence()
    {
        var script = new LoadScript(Plan(2048));
        var pairs = from client in new[] { 0, 1, 2, 12, 123, 999_999 }
                    from sequence in new long[] { 0, 1, 2, 3, 23, 123, 1_000_000, 9_999_999_999 }
                    select (client, sequence);

        var ids = pairs.Select(p => MessageId(Encoding.ASCII.GetString(script.MessageHead(p.client, p.sequence)))).ToList();

        Assert.Equal(6 * 8, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches(@"^load\.\d{14}\.\d+\.\d{6}\.\d{10}@load\.test$", id));
    }

    [Fact]
    public void The_same_client_and_sequence_give_the_same_fixed_width_message_id()
    {
        var script = new LoadScript(Plan(2048));

        var first = MessageId(Encoding.ASCII.GetString(script.MessageHead(5, 6)));
        var again = MessageId(Encoding.ASCII.GetString(script.MessageHead(5, 6)));

        Assert.Equal(first, again);
        Assert.EndsWith(".000005.0000000006@load.test", first, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tail_is_shared_by_every_message()
    {
        var script = new LoadScript(Plan(2048));

        var tail = script.MessageTail;

        Assert.Same(tail, script.MessageTail);
    }

    [Fact]
    public void Headers_carry_the_envelope_addresses()
    {
        var plan = Plan(2048) with { From = "a@b.example", To = "c@d.example" };
        var script = new LoadScript(plan);

        var head = Encoding.UTF8.GetString(script.MessageHead(0, 0));

        Assert.StartsWith("From: <a@b.example>\r\nTo: <c@d.example>\r\nSubject: gateway load\r\nDate: ", head, StringComparison.Ordinal);
        Assert.Matches(@"\r\nMessage-ID: <[^>]+>\r\n\r\n$", head);
    }

    [Fact]
    public void The_commands_use_the_plan()
    {
        var plan = Plan(2048) with { Helo = "client.example", From = "", To = "c@d.example" };

        var script = new LoadScript(plan);

        Assert.Equal("EHLO client.example\r\n", Encoding.ASCII.GetString(script.Ehlo));
        Assert.Equal("MAIL FROM:<>\r\n", Encoding.ASCII.GetString(script.Mail));
        Assert.Equal("RCPT TO:<c@d.example>\r\n", Encoding.ASCII.GetString(script.Rcpt));
        Assert.Equal("DATA\r\n", Encoding.ASCII.GetString(LoadScript.Data));
        Assert.Equal("STARTTLS\r\n", Encoding.ASCII.GetString(LoadScript.StartTls));
        Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(LoadScript.Quit));
    }

    private static LoadPlan Plan(int size) =>
        new() { Target = new HostPort("127.0.0.1", 25), Timeout = TimeSpan.FromMinutes(1), Size = size };

    private static string Message(LoadScript script, int client, long sequence) =>
        Encoding.UTF8.GetString([.. script.MessageHead(client, sequence), .. script.MessageTail]);

    private static string MessageId(string message) => MessageIdLine().Match(message) is { Success: true } m
        ? m.Groups["id"].Value
        : throw new InvalidOperationException("no Message-ID");

    /// <summary>Every line ends in CRLF, none is longer than 998 bytes (RFC 5322 §2.1.1), none but the end of data starts with a dot.</summary>
    private static void AssertLines(string message)
    {
        Assert.EndsWith("\r\n", message, StringComparison.Ordinal);
        var lines = message[..^2].Split("\r\n");
        Assert.Equal(".", lines[^1]);
        foreach (var line in lines[..^1])
        {
            Assert.DoesNotContain('\r', line);
            Assert.DoesNotContain('\n', line);
            Assert.False(line.StartsWith('.'), $"line starts with a dot: {line}");
            Assert.True(Encoding.UTF8.GetByteCount(line) <= 998, $"line of {line.Length} bytes");
        }
    }

    [GeneratedRegex(@"Message-ID: <(?<id>[^>]*)>")]
    private static partial Regex MessageIdLine();
}
