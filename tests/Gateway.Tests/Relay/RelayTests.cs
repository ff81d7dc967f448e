using System.Runtime.Versioning;
using Akka.Actor;
using Gateway.Actors.Queue;
using Gateway.Tests.Support;
using MimeKit;

namespace Gateway.Tests.Relay;

/// <summary>
/// Mail for a remote domain goes on over SMTP to the route's next hop (a <see cref="TinySmtpServer"/>): the dialogue,
/// what the hop receives, and what the queue keeps when the hop refuses, defers or misbehaves.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RelayTests : IAsyncLifetime
{
    private readonly RelayFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Mail_for_a_routed_domain_reaches_the_next_hop_with_the_gateways_Received_line_and_leaves_the_spool()
    {
        var sink = _fixture.Sink();
        var node = await _fixture.NodeAsync(sink);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example", "carol@remote.example"]);

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        var message = received[0];
        Assert.Equal("MAIL FROM:<alice@localhost> SIZE=" + message.Data.Length, message.MailFrom.Split(" BODY")[0], ignoreCase: true);
        Assert.Equal(["bob@remote.example", "carol@remote.example"], message.Recipients);
        Assert.StartsWith("Received: from client.test.example ([127.0.0.1])", message.Data, StringComparison.Ordinal);
        Assert.Contains("by mx.test.example", message.Data, StringComparison.Ordinal);
        Assert.Contains("Hello over there.", message.Data, StringComparison.Ordinal);

        // One transaction for both recipients of the same destination, pipelined (RFC 2920) as the hop offers it.
        Assert.Equal(1, sink.Commands.Count(c => c.StartsWith("MAIL", StringComparison.Ordinal)));
        await RelayFixture.QueueUntilAsync(node, l => l.Count == 0, "an empty queue");
    }

    [Fact]
    public async Task A_line_starting_with_a_dot_arrives_intact()
    {
        var sink = _fixture.Sink();
        var node = await _fixture.NodeAsync(sink);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"], "Subject: dots\r\n\r\n..\r\n...x\r\n");

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        Assert.EndsWith("\r\n\r\n.\r\n..x\r\n", received[0].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hop_that_offers_CHUNKING_gets_the_content_in_one_BDAT_LAST()
    {
        var sink = _fixture.Sink(new SinkBehaviour { Extensions = ["PIPELINING", "CHUNKING", "8BITMIME", "SIZE 1000000"] });
        var node = await _fixture.NodeAsync(sink);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"], "Subject: chunk\r\n\r\n..starts with a dot\r\n");

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        Assert.Contains(sink.Commands, c => c.StartsWith("BDAT ", StringComparison.Ordinal) && c.EndsWith(" LAST", StringComparison.Ordinal));
        Assert.DoesNotContain("DATA", sink.Commands);
        Assert.EndsWith("\r\n\r\n.starts with a dot\r\n", received[0].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hop_that_refuses_EHLO_gets_HELO_and_no_extension()
    {
        var sink = _fixture.Sink(new SinkBehaviour { EhloReply = "500 5.5.1 EHLO not understood" });
        var node = await _fixture.NodeAsync(sink);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var received = await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        Assert.Contains(sink.Commands, c => c.StartsWith("HELO mx.test.example", StringComparison.Ordinal));
        Assert.Equal("MAIL FROM:<alice@localhost>", received[0].MailFrom);
    }

    [Fact]
    public async Task A_permanent_refusal_bounces_to_the_sender_with_an_RFC_3464_report_and_the_message_leaves_the_queue()
    {
        var sink = _fixture.Sink(new SinkBehaviour { RcptReply = r => r.StartsWith("nobody", StringComparison.Ordinal) ? "550 5.1.1 <nobody@remote.example>: user unknown" : "250 2.1.5 ok" });
        var node = await _fixture.NodeAsync(sink);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["nobody@remote.example", "bob@remote.example"]);

        await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message for bob at the next hop", RelayFixture.Deadline);
        var bounce = await MaildirReader.WaitForAsync(node.Maildir, "alice@localhost", 1, RelayFixture.Deadline);
        var report = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(bounce[0])));
        Assert.Equal("multipart/report", report.Body!.ContentType.MimeType);
        var status = Assert.Single(report.BodyParts.OfType<MessageDeliveryStatus>());
        var recipient = Assert.Single(status.StatusGroups.Skip(1));
        Assert.Equal("rfc822; nobody@remote.example", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.Contains("user unknown", recipient["Diagnostic-Code"] ?? "", StringComparison.Ordinal);
        Assert.Equal("dns; 127.0.0.1", recipient["Remote-MTA"]);
        Assert.StartsWith("Return-Path: <>", bounce[0], StringComparison.Ordinal);
        await RelayFixture.QueueUntilAsync(node, l => l.Count == 0, "an empty queue");
    }

    [Fact]
    public async Task A_temporary_refusal_keeps_the_message_queued_with_the_hops_reply()
    {
        var sink = _fixture.Sink(new SinkBehaviour { MailReply = "451 4.3.0 try again later" });
        var node = await _fixture.NodeAsync(sink);

        var accepted = await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        var message = listing[0];
        Assert.Contains(message.Id, accepted, StringComparison.Ordinal);
        Assert.Equal("451 4.3.0 try again later", message.LastError);
        Assert.Equal(1, message.FailedAttempts);
        Assert.NotNull(message.NextAttempt);
        Assert.Equal("pending", message.Recipients[0].State);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task A_hop_that_drops_the_connection_after_the_data_costs_a_retry_not_the_message()
    {
        var sink = _fixture.Sink(new SinkBehaviour { DropAfterData = true });
        var node = await _fixture.NodeAsync(sink);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.Contains("lost connection with 127.0.0.1[127.0.0.1] while sending message body", listing[0].LastError, StringComparison.Ordinal);

        // The hop behaves again: flush, and the message goes.
        sink.Behaviour = new SinkBehaviour();
        var flushed = await node.Node.Queue.Ask<QueueControl.QueueControlDone>(new QueueControl.Flush(null), RelayFixture.Deadline);
        Assert.True(flushed.Ok, flushed.Text);
        await Eventually.UntilAsync(() => sink.Messages, m => m.Count == 1, "the message after the flush", RelayFixture.Deadline);
        await RelayFixture.QueueUntilAsync(node, l => l.Count == 0, "an empty queue");
    }

    [Fact]
    public async Task A_greeting_refusal_fails_the_recipients_with_the_greeting_text()
    {
        var sink = _fixture.Sink(new SinkBehaviour { Greeting = "554 5.7.1 no mail from you" });
        var node = await _fixture.NodeAsync(sink);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var bounce = await MaildirReader.WaitForAsync(node.Maildir, "alice@localhost", 1, RelayFixture.Deadline);
        Assert.Contains("554 5.7.1 no mail from you", bounce[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_destination_defers_with_the_connect_error()
    {
        var sink = _fixture.Sink();
        var port = sink.Port;
        await sink.DisposeAsync();
        var node = await _fixture.NodeAsync("Connect:127.0.0.1 RELAY", port);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.StartsWith($"4.4.1 connect to 127.0.0.1[127.0.0.1]:{port}", listing[0].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hop_that_sends_garbage_costs_one_connection_and_a_retry()
    {
        var sink = _fixture.Sink(new SinkBehaviour { Greeting = "this is not SMTP at all" });
        var node = await _fixture.NodeAsync(sink);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.StartsWith("4.5.0 127.0.0.1[127.0.0.1] sent a malformed reply", listing[0].LastError, StringComparison.Ordinal);
        Assert.Equal(1, sink.Connections);
    }

    [Fact]
    public async Task A_4xx_to_DATA_defers_and_a_5xx_after_the_content_bounces()
    {
        var sink = _fixture.Sink(new SinkBehaviour { DataReply = "451 4.3.0 no room for data now" });
        var node = await _fixture.NodeAsync(sink);

        await RelayFixture.SubmitAsync(node, "alice@localhost", ["bob@remote.example"]);

        var listing = await RelayFixture.QueueUntilAsync(node, l => l.Count == 1 && l[0].State == "deferred", "the deferred message");
        Assert.Equal("451 4.3.0 no room for data now", listing[0].LastError);

        // The hop now takes the content and refuses it: the recipient fails with the hop's words.
        sink.Behaviour = new SinkBehaviour { EndOfDataReply = "554 5.6.0 content refused" };
        var flushed = await node.Node.Queue.Ask<QueueControl.QueueControlDone>(new QueueControl.Flush(null), RelayFixture.Deadline);
        Assert.True(flushed.Ok, flushed.Text);
        var bounce = await MaildirReader.WaitForAsync(node.Maildir, "alice@localhost", 1, RelayFixture.Deadline);
        Assert.Contains("Diagnostic-Code: smtp; 554 5.6.0 content refused", bounce[0], StringComparison.Ordinal);
        await RelayFixture.QueueUntilAsync(node, l => l.Count == 0, "an empty queue");
    }
}
