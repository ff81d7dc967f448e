using Gateway.Protocol.Replies;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

public sealed class ConnectionActorDialogTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private const string Host = TestSettings.Hostname;

    [Fact]
    public async Task The_greeting_is_220_with_the_hostname()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());

        await connection.ExpectReplyAsync(SmtpReplies.Greeting(Host));
    }

    [Fact]
    public async Task Ehlo_is_answered_with_every_extension()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.ExpectReplyAsync(220);

        await connection.SendAsync("EHLO client.example\r\n");

        var reply = await connection.ExpectReplyAsync(250);
        Assert.Equal($"{Host} Hello client.example", reply.Lines[0]);
        Assert.Equal(
            ["PIPELINING", $"SIZE {TestSettings.MaxMessageSize}", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8", "CHUNKING", "DSN", "HELP"],
            reply.Lines.Skip(1));
        Assert.StartsWith("250-", reply.Wire, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helo_is_answered_with_one_line_and_no_extensions()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.ExpectReplyAsync(220);

        await connection.SendAsync("HELO client.example\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.Helo(Host, "client.example"));
    }

    [Fact]
    public async Task Mail_before_ehlo_is_answered_503_and_ehlo_then_mail_succeeds()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.ExpectReplyAsync(220);

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");

        var reply = await connection.ExpectReplyAsync(SmtpReplies.HelloFirst);
        Assert.Equal("5.5.1", reply.Status);
        await connection.SendAsync("EHLO client.example\r\nMAIL FROM:<a@example.net>\r\n");
        await connection.ExpectReplyAsync(250);
        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
    }

    [Fact]
    public async Task Rcpt_before_mail_is_answered_503_and_the_session_stays_open()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("RCPT TO:<b@example.org>\r\n");

        var reply = await connection.ExpectReplyAsync(SmtpReplies.NeedMail);
        Assert.Equal("5.5.1", reply.Status);
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
    }

    [Fact]
    public async Task Data_before_mail_and_data_before_rcpt_are_answered_503()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("DATA\r\nMAIL FROM:<a@example.net>\r\nDATA\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.NeedMail, SmtpReplies.SenderOk, SmtpReplies.NeedRcpt);
    }

    [Fact]
    public async Task A_second_mail_in_a_transaction_is_answered_503()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nMAIL FROM:<c@example.net>\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.NestedMail);
    }

    [Fact]
    public async Task Rset_ends_the_transaction()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRSET\r\nRCPT TO:<b@example.org>\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.Reset, SmtpReplies.NeedMail);
    }

    [Fact]
    public async Task Noop_vrfy_and_help_are_answered_250_252_and_214()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("NOOP\r\nVRFY postmaster\r\nHELP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.Ok, SmtpReplies.CannotVerify, SmtpReplies.Help);
    }

    [Fact]
    public async Task Unknown_and_unoffered_commands_are_answered_500_502_and_454()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("FROB\r\nEXPN staff\r\nSTARTTLS\r\nNOOP\r\n");

        // SPEC R3 row 3: this connection has no TLS configured, so STARTTLS is unusable, not unknown.
        await connection.ExpectRepliesAsync(SmtpReplies.CommandUnrecognized, SmtpReplies.CommandNotImplemented, SmtpReplies.TlsNotAvailable, SmtpReplies.Ok);
    }

    [Theory]
    [InlineData("NOOP\0\r\n")]
    [InlineData("NOOP \u001b[31m\r\n")]
    public async Task A_command_with_control_characters_is_answered_500(string line)
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync(line + "NOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.InvalidCharacters, SmtpReplies.Ok);
    }

    [Fact]
    public async Task A_command_that_is_not_utf8_is_answered_500()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync([.. "MAIL FROM:<"u8, 0xC3, 0x28, .. "@example.net> SMTPUTF8\r\nNOOP\r\n"u8]);

        await connection.ExpectRepliesAsync(SmtpReplies.InvalidCharacters, SmtpReplies.Ok);
    }

    [Fact]
    public async Task A_utf8_address_needs_smtputf8()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<jörg@example.org>\r\nRSET\r\nMAIL FROM:<a@example.net> SMTPUTF8\r\nRCPT TO:<jörg@example.org>\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.NonAsciiAddress, SmtpReplies.Reset, SmtpReplies.SenderOk, SmtpReplies.RecipientOk);
    }

    [Fact]
    public async Task Quit_is_answered_221_then_the_connection_is_closed_and_the_session_stops()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        Watch(connection.Session);
        await connection.HelloAsync();

        await connection.SendAsync("QUIT\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.Closing(Host));
        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
        Assert.False(connection.Aborted);
    }

    [Fact]
    public async Task Commands_pipelined_behind_quit_are_not_answered()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("QUIT\r\nNOOP\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.Closing(Host));
        await connection.ExpectClosedAsync();
    }

    [Fact]
    public async Task An_http_request_as_first_command_is_answered_421_and_closed()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        Watch(connection.Session);
        await connection.ExpectReplyAsync(220);

        await connection.SendAsync("GET / HTTP/1.1\r\nHost: mx.example.com\r\n\r\n");

        var reply = await connection.ExpectReplyAsync(SmtpReplies.RejectingOpenProxy(Host, "127.0.0.1"));
        Assert.Equal("4.7.0", reply.Status);
        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task An_http_verb_after_the_first_command_is_only_unrecognized()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("GET / HTTP/1.1\r\nNOOP\r\n");

        await connection.ExpectRepliesAsync(SmtpReplies.CommandUnrecognized, SmtpReplies.Ok);
    }
}
