using Gateway.Protocol.Replies;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

public sealed class ConnectionActorLimitsTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private const string Host = TestSettings.Hostname;

    [Fact]
    public async Task A_command_line_over_512_octets_is_answered_500_and_the_session_continues()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("NOOP " + new string('x', 506) + "\r\nNOOP\r\n");

        var reply = await connection.ExpectReplyAsync(SmtpReplies.LineTooLong);
        Assert.Equal("5.5.2", reply.Status);
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    [Fact]
    public async Task A_command_line_of_exactly_512_octets_is_accepted()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("NOOP " + new string('x', 505) + "\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    [Fact]
    public async Task A_rcpt_line_over_512_octets_with_dsn_parameters_is_accepted()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();
        var line = "RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;" + new string('x', 480) + "\r\n";
        Assert.True(line.Length > 512);

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n" + line);

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk);
    }

    [Fact]
    public async Task A_mail_line_over_1512_octets_is_answered_500_and_opens_no_transaction()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net> ENVID=" + new string('x', 1500) + "\r\nRCPT TO:<b@example.org>\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.LineTooLong, SmtpReplies.NeedMail);
    }

    [Fact]
    public async Task A_line_with_no_end_in_sight_is_drained_then_answered_once()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        for (var i = 0; i < 4; i++)
        {
            await connection.SendAsync(new string('A', 1000));
        }

        await connection.SendAsync("\r");
        await connection.SendAsync("\nNOOP\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.LineTooLong, SmtpReplies.Ok);
    }

    [Fact]
    public async Task A_long_line_sent_in_pieces_is_answered_once()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("NOOP " + new string('x', 695));
        await connection.SendAsync(new string('x', 700));
        await connection.SendAsync("\r\nNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.LineTooLong, SmtpReplies.Ok);
    }

    [Fact]
    public async Task A_drained_line_of_bare_line_feeds_is_answered_once()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(new string('\n', 100_000));
        await connection.SendAsync("\r\nNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.LineTooLong, SmtpReplies.Ok);
    }

    [Theory]
    [InlineData(998, 250)]
    [InlineData(999, 554)]
    public async Task A_text_line_over_1000_octets_is_refused_only_after_the_final_dot(int length, int expected)
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);

        await connection.SendAsync(new string('x', length) + "\r\nmore\r\n");
        await connection.ExpectReadRequestAsync();
        var writes = connection.Writes;
        await connection.SendAsync(".\r\nNOOP\r\n");

        await connection.ExpectReplyAsync(expected == 250 ? SmtpReplies.Queued("m1") : SmtpReplies.TextLineTooLong);
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
        Assert.Equal(writes + 1, connection.Writes);
    }

    [Fact]
    public async Task A_declared_size_over_the_limit_is_refused_552_at_mail()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync($"MAIL FROM:<a@example.net> SIZE={TestSettings.MaxMessageSize + 1}\r\nRCPT TO:<b@example.org>\r\nMAIL FROM:<a@example.net> SIZE={TestSettings.MaxMessageSize}\r\n");

        var reply = await connection.ExpectReplyAsync(SmtpReplies.MessageTooBig(TestSettings.MaxMessageSize));
        Assert.Equal("5.3.4", reply.Status);
        await connection.ExpectRepliesAsync(SmtpReplies.NeedMail, SmtpReplies.SenderOk);
    }

    [Theory]
    [InlineData(0, 250)]
    [InlineData(1, 552)]
    public async Task A_message_over_the_size_limit_is_refused_552_only_after_the_final_dot(int over, int expected)
    {
        var spool = new InMemorySpool();
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        var line = new string('x', 98) + "\r\n";
        var body = string.Concat(Enumerable.Repeat(line, (int)(TestSettings.MaxMessageSize / line.Length))) + new string('y', over);

        await connection.SendAsync(body);
        await connection.ExpectReadRequestAsync();
        var writes = connection.Writes;
        await connection.SendAsync(over > 0 ? "\r\n.\r\nNOOP\r\n" : ".\r\nNOOP\r\n");

        await connection.ExpectReplyAsync(expected == 250 ? SmtpReplies.Queued("m1") : SmtpReplies.MessageTooBig(TestSettings.MaxMessageSize));
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
        Assert.Equal(writes + 1, connection.Writes);
        Assert.Equal(expected == 250 ? ["m1"] : [], spool.Ids);
    }

    [Fact]
    public async Task An_oversized_message_is_not_queued_and_the_next_transaction_is_accepted()
    {
        var spool = new InMemorySpool();
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        await connection.HelloAsync();
        var transaction = "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n";

        await connection.SendAsync(transaction + new string('x', 900) + "\r\n");
        for (var i = 0; i < 12; i++)
        {
            await connection.SendAsync(new string('x', 900) + "\r\n");
        }

        await connection.SendAsync(".\r\n" + transaction + "small\r\n.\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.MessageTooBig(TestSettings.MaxMessageSize));
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        await queue.ExpectMsgAsync(new QueueProtocol.MessageSpooled("m1"));
    }

    [Fact]
    public async Task Recipients_past_the_maximum_are_answered_452_and_the_others_are_kept()
    {
        var spool = new InMemorySpool();
        var connection = FakeConnection.Open(this, spool, CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<r1@example.org>\r\nRCPT TO:<r2@example.org>\r\nRCPT TO:<r3@example.org>\r\nRCPT TO:<r4@example.org>\r\nDATA\r\nHi\r\n.\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk, SmtpReplies.RecipientOk);
        var reply = await connection.ExpectReplyAsync(SmtpReplies.TooManyRecipients);
        Assert.Equal((452, "4.5.3"), (reply.Code, reply.Status));
        await connection.ExpectRepliesAsync(SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        Assert.Equal(["r1", "r2", "r3"], spool.Get("m1").Envelope.Recipients.Select(r => r.Address.LocalPart));
    }

    [Fact]
    public async Task A_recipient_outside_the_local_domains_is_refused_550()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<x@example.net>\r\nRCPT TO:<b@EXAMPLE.ORG>\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RelayingDenied("x@example.net"), SmtpReplies.RecipientOk);
    }

    [Fact]
    public async Task Past_the_error_budget_the_session_answers_421_and_closes()
    {
        var settings = TestSettings.Connection with { Session = TestSettings.Session with { MaxBadCommands = 3 } };
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), settings);
        Watch(connection.Session);
        await connection.HelloAsync();

        await connection.SendAsync("FROB\r\nRCPT TO:<b@example.org>\r\nNOOP " + new string('x', 600) + "\r\nFROB\r\nNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.CommandUnrecognized, SmtpReplies.NeedMail, SmtpReplies.LineTooLong);
        var reply = await connection.ExpectReplyAsync(SmtpReplies.TooManyErrors(Host));
        Assert.Equal((421, "4.7.0"), (reply.Code, reply.Status));
        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task Good_commands_do_not_count_toward_the_error_budget()
    {
        var settings = TestSettings.Connection with { Session = TestSettings.Session with { MaxBadCommands = 1 } };
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), settings);
        await connection.HelloAsync();

        await connection.SendAsync("FROB\r\nNOOP\r\nNOOP\r\nNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.CommandUnrecognized, SmtpReplies.Ok, SmtpReplies.Ok, SmtpReplies.Ok);
    }
}
