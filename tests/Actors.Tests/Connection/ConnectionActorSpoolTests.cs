using Gateway.Protocol.Replies;
using System.Text;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

public sealed class ConnectionActorSpoolTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private const string Transaction = "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n";

    [Fact]
    public async Task The_250_after_data_comes_only_after_the_commit_completes_and_the_queue_hears_the_same_id()
    {
        var spool = new GatedSpool();
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        await connection.HelloAsync();
        await connection.SendAsync(Transaction);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        await connection.ExpectReadRequestAsync();

        await connection.SendAsync("Subject: hi\r\n\r\nHello\r\n.\r\n");
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);

        await connection.ExpectSilenceAsync(TimeSpan.FromMilliseconds(300));
        await queue.ExpectNoMsgAsync(TimeSpan.Zero);
        spool.Release();
        await connection.ExpectReplyAsync(SmtpReplies.Queued("m1"));
        await queue.ExpectMsgAsync(new QueueProtocol.MessageSpooled("m1"));
    }

    [Fact]
    public async Task The_spooled_envelope_holds_the_transaction_and_the_content_starts_with_received()
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(Transaction + "Subject: hi\r\n\r\nHello\r\n.\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        var message = spool.Get("m1");
        Assert.Equal("a@example.net", message.Envelope.ReversePath?.ToString());
        Assert.Equal(["b@example.org", "c@example.org"], message.Envelope.Recipients.Select(r => r.Address.ToString()));
        Assert.Equal(("client.example", "127.0.0.1", "ESMTP"), (message.Envelope.HeloName, message.Envelope.ClientAddress, message.Envelope.Protocol));
        var content = Encoding.UTF8.GetString(message.Content.Span);
        Assert.StartsWith("Received: from client.example ([127.0.0.1])\r\n\tby mx.example.com (Gateway test) with ESMTP id m1", content, StringComparison.Ordinal);
        Assert.EndsWith("\r\nSubject: hi\r\n\r\nHello\r\n", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_transactions_in_one_session_are_spooled_under_different_ids()
    {
        var spool = new InMemorySpool();
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        await connection.HelloAsync();

        await connection.SendAsync(Transaction + "One\r\n.\r\n" + Transaction + "Two\r\n.\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m2"));
        await queue.ExpectMsgAsync(new QueueProtocol.MessageSpooled("m1"));
        await queue.ExpectMsgAsync(new QueueProtocol.MessageSpooled("m2"));
    }

    [Fact]
    public async Task A_failed_commit_is_answered_452_nothing_is_queued_and_the_next_transaction_is_accepted()
    {
        var spool = new FailingSpool(failures: 1);
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        await connection.HelloAsync();

        await connection.SendAsync(Transaction + "One\r\n.\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        var reply = await connection.ExpectReplyAsync(SmtpReplies.SpoolFailed);
        Assert.Equal("4.3.1", reply.Status);
        await connection.SendAsync(Transaction + "Two\r\n.\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m2"));
        await queue.ExpectMsgAsync(new QueueProtocol.MessageSpooled("m2"));
        Assert.Equal(["m2"], spool.Stored.Ids);
    }

    [Fact]
    public async Task A_failed_commit_leaves_no_transaction_behind()
    {
        var connection = FakeConnection.Open(this, new FailingSpool(failures: 1), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(Transaction + "One\r\n.\r\nRCPT TO:<b@example.org>\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.SpoolFailed, SmtpReplies.NeedMail);
    }

    [Theory]
    [InlineData("HELO client.example", "", "SMTP")]
    [InlineData("EHLO client.example", "", "ESMTP")]
    [InlineData("EHLO client.example", " SMTPUTF8", "UTF8SMTP")]
    public async Task The_envelope_names_the_protocol_the_client_used(string hello, string mailParameters, string protocol)
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.ExpectReplyAsync(220);

        await connection.SendAsync($"{hello}\r\nMAIL FROM:<a@example.net>{mailParameters}\r\nRCPT TO:<b@example.org>\r\nDATA\r\nHi\r\n.\r\n");

        await connection.ExpectReplyAsync(250);
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        Assert.Equal(protocol, spool.Get("m1").Envelope.Protocol);
        Assert.Contains($" with {protocol} id m1", Encoding.UTF8.GetString(spool.Get("m1").Content.Span), StringComparison.Ordinal);
    }
}
