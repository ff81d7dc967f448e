using Gateway.Protocol.Replies;
using System.Text;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>RFC 3030 CHUNKING: exactly the announced octets follow each BDAT, and LAST commits.</summary>
public sealed class ConnectionActorBdatTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private const string Envelope = "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n";

    [Fact]
    public async Task Bdat_chunks_are_joined_and_committed_at_last()
    {
        var spool = new InMemorySpool();
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        await connection.HelloAsync();

        await connection.SendAsync(Envelope + "BDAT 6\r\nHello ");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.ChunkAccepted(6));
        await connection.SendAsync("BDAT 7 LAST\r\nworld\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.Queued("m1"));
        await queue.ExpectMsgAsync(new QueueProtocol.MessageSpooled("m1"));
        Assert.EndsWith("\r\nHello world\r\n", Encoding.UTF8.GetString(spool.Get("m1").Content.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunk_is_binary_so_crlf_dot_crlf_and_bare_lf_inside_it_are_content()
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(Envelope + "BDAT 14 LAST\r\na\r\n.\r\nb\nQUIT\r\nNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.Queued("m1"), SmtpReplies.Ok);
        Assert.EndsWith("\r\na\r\n.\r\nb\nQUIT\r\n", Encoding.UTF8.GetString(spool.Get("m1").Content.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunk_split_across_many_reads_is_read_exactly()
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();
        await connection.SendAsync(Envelope + "BDAT 10 LAST\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk);

        foreach (var b in "0123456789NOOP\r\n"u8.ToArray())
        {
            await connection.SendAsync([b]);
        }

        await connection.ExpectRepliesAsync(SmtpReplies.Queued("m1"), SmtpReplies.Ok);
        Assert.EndsWith("0123456789", Encoding.UTF8.GetString(spool.Get("m1").Content.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_message_over_the_size_limit_is_refused_552_and_the_session_continues()
    {
        var spool = new InMemorySpool();
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        await connection.HelloAsync();
        var first = (int)TestSettings.MaxMessageSize - 10;

        await connection.SendAsync(Envelope + $"BDAT {first}\r\n" + new string('x', first) + "BDAT 11 LAST\r\n" + new string('y', 11) + "NOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.ChunkAccepted(first));
        var reply = await connection.ExpectReplyAsync(SmtpReplies.MessageTooBig(TestSettings.MaxMessageSize));
        Assert.Equal((552, "5.3.4"), (reply.Code, reply.Status));
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
        await queue.ExpectNoMsgAsync(TimeSpan.Zero);
        Assert.Empty(spool.Ids);
    }

    [Fact]
    public async Task After_a_refused_chunk_the_next_chunk_finds_no_transaction_and_is_discarded()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();
        var size = TestSettings.MaxMessageSize + 1;

        await connection.SendAsync(Envelope + $"BDAT {size}\r\n" + new string('x', (int)size) + "BDAT 4 LAST\r\nFROBNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.MessageTooBig(TestSettings.MaxMessageSize), SmtpReplies.NeedMail, SmtpReplies.Ok);
    }

    [Fact]
    public async Task Bdat_before_mail_is_answered_503_and_its_chunk_is_discarded()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("BDAT 4\r\nFROBNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.NeedMail, SmtpReplies.Ok);
    }

    [Fact]
    public async Task Bdat_before_rcpt_is_answered_503_and_its_chunk_is_discarded()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nBDAT 4 LAST\r\nFROBNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.NeedRcpt, SmtpReplies.Ok);
    }

    [Fact]
    public async Task Data_and_rcpt_during_a_bdat_transfer_are_answered_503()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(Envelope + "BDAT 2\r\nabDATA\r\nRCPT TO:<c@example.org>\r\nBDAT 0 LAST\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.ChunkAccepted(2), SmtpReplies.DataAfterBdat, SmtpReplies.BadSequence, SmtpReplies.Queued("m1"));
    }

    // RFC 3030 §4: RSET (and EHLO, RFC 5321 §4.1.4) abandons the chunks received so far.
    [Theory]
    [InlineData("RSET")]
    [InlineData("EHLO client.example")]
    public async Task Chunks_of_an_abandoned_transaction_do_not_leak_into_the_next_message(string abandon)
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(Envelope + "BDAT 7\r\nSecret\n" + abandon + "\r\n" + Envelope + "BDAT 6 LAST\r\nHello\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.ChunkAccepted(7));
        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.Queued("m1"));
        var content = Encoding.UTF8.GetString(spool.Get("m1").Content.Span);
        Assert.DoesNotContain("Secret", content, StringComparison.Ordinal);
        Assert.EndsWith("\r\nHello\n", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_size_of_an_abandoned_chunked_transaction_does_not_count_toward_the_next()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();
        var size = (int)TestSettings.MaxMessageSize - 10;

        await connection.SendAsync(Envelope + $"BDAT {size}\r\n" + new string('x', size) + "RSET\r\n" + Envelope + "BDAT 20 LAST\r\n" + new string('y', 20));

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.ChunkAccepted(size), SmtpReplies.Reset, SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.Queued("m1"));
    }
}
