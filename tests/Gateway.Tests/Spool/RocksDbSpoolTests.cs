using System.Text;
using Gateway.Protocol.Mail;
using Gateway.Spool;

namespace Gateway.Tests.Spool;

/// <summary>The spool on real files: what a commit acknowledged is there after reopening, byte for byte.</summary>
public sealed class RocksDbSpoolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-spool-").FullName;

    [Fact]
    public async Task A_committed_message_survives_reopening_with_envelope_and_content_intact()
    {
        string id;
        var envelope = Envelope("placeholder");
        using (var spool = new RocksDbSpool(_dir))
        {
            id = spool.NewId();
            envelope = Envelope(id);
            await spool.CommitAsync(envelope, [Encoding.ASCII.GetBytes("Received: x\r\n"), Encoding.ASCII.GetBytes("Subject: hi\r\n\r\nbody\r\n")]);
        }

        using var reopened = new RocksDbSpool(_dir);
        var message = await reopened.ReadAsync(id);

        Assert.Equal([id], await reopened.ListAsync());
        Assert.NotNull(message);
        Assert.Equal("Received: x\r\nSubject: hi\r\n\r\nbody\r\n", Encoding.ASCII.GetString(message.Content.Span));
        Assert.Equal(envelope.ReversePath?.ToString(), message.Envelope.ReversePath?.ToString());
        Assert.Equal(envelope.Recipients.Select(r => r.Address.ToString()), message.Envelope.Recipients.Select(r => r.Address.ToString()));
        Assert.Equal(envelope.Parameters, message.Envelope.Parameters);
        Assert.Equal(envelope.HeloName, message.Envelope.HeloName);
        Assert.Equal(envelope.ReceivedAt, message.Envelope.ReceivedAt);
    }

    [Fact]
    public async Task A_message_in_many_segments_reads_back_byte_for_byte()
    {
        // As MessageContent holds it: segments of growing size, one a slice that does not start at 0.
        var bytes = new byte[300_000];
        Random.Shared.NextBytes(bytes);
        ReadOnlyMemory<byte>[] segments =
            [bytes.AsMemory(0, 4096), bytes.AsMemory(4096, 8192), bytes.AsMemory(12_288, 65_536), bytes.AsMemory(77_824)];
        using var spool = new RocksDbSpool(_dir);
        var id = spool.NewId();

        await spool.CommitAsync(Envelope(id), segments);

        var message = await spool.ReadAsync(id);
        Assert.NotNull(message);
        Assert.True(message.Content.Span.SequenceEqual(bytes));
    }

    [Fact]
    public async Task A_removed_message_reads_as_absent()
    {
        using var spool = new RocksDbSpool(_dir);
        var id = spool.NewId();
        await spool.CommitAsync(Envelope(id), [Encoding.ASCII.GetBytes("x\r\n")]);

        await spool.RemoveAsync(id);

        Assert.Null(await spool.ReadAsync(id));
        Assert.Empty(await spool.ListAsync());
    }

    [Fact]
    public async Task A_removed_message_is_gone_after_reopening()
    {
        using (var spool = new RocksDbSpool(_dir))
        {
            var id = spool.NewId();
            await spool.CommitAsync(Envelope(id), [Encoding.ASCII.GetBytes("x\r\n")]);
            await spool.RemoveAsync(id);
        }

        using var reopened = new RocksDbSpool(_dir);
        Assert.Empty(await reopened.ListAsync());
    }

    [Fact]
    public async Task Many_concurrent_commits_all_complete_and_all_are_listed()
    {
        using var spool = new RocksDbSpool(_dir);
        var ids = Enumerable.Range(0, 500).Select(_ => spool.NewId()).ToList();

        await Task.WhenAll(ids.Select(id => Task.Run(() => spool.CommitAsync(Envelope(id), [Encoding.ASCII.GetBytes(id)]))));

        Assert.Equal(ids.Order(StringComparer.Ordinal), (await spool.ListAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(500, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_commit_after_the_spool_is_closed_fails_rather_than_pretending()
    {
        var spool = new RocksDbSpool(_dir);
        var id = spool.NewId();
        spool.Dispose();

        var error = await Assert.ThrowsAsync<IOException>(() => spool.CommitAsync(Envelope(id), [Encoding.ASCII.GetBytes("x")]));

        Assert.Equal("spool is closed", error.Message);
    }

    [Fact]
    public async Task Reads_and_removals_after_the_spool_is_closed_fail_rather_than_pretending()
    {
        var spool = new RocksDbSpool(_dir);
        var id = spool.NewId();
        spool.Dispose();

        await Assert.ThrowsAsync<IOException>(() => spool.ReadAsync(id));
        await Assert.ThrowsAsync<IOException>(() => spool.ListAsync());
        await Assert.ThrowsAsync<IOException>(() => spool.RemoveAsync(id));
    }

    private static Envelope Envelope(string id) => new(
        id,
        new Mailbox("alice", "client.example"),
        MailParameters.None with { Size = 1234 },
        [new Recipient(new Mailbox("bob", "localhost"), RcptParameters.None)],
        "client.example",
        "127.0.0.1",
        "ESMTP",
        new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.FromHours(1)));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
