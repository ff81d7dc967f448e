using Gateway.Protocol.Replies;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Tests.Support;
using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>
/// Which bytes count as commands around the handshake: clear text pipelined behind STARTTLS never
/// runs (SPEC R82, CVE-2011-0411), while encrypted commands in the same read as the client's
/// Finished do.
/// </summary>
public sealed class ConnectionActorTlsBoundaryTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    // SPEC R82 test vector 1 (CVE-2011-0411): RSET arrived in clear text behind STARTTLS.
    [Fact]
    public async Task A_command_pipelined_behind_starttls_is_discarded_and_never_answered()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered());
        await connection.HelloAsync();

        await connection.SendAsync("STARTTLS\r\nRSET\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        await connection.ExpectReadRequestAsync();
        Assert.Equal(0, connection.UnreadReplies);
        await connection.HandshakeAsync(new TlsClientPeer(ProtocolVersion.TLSv13));
        await connection.SendAsync("EHLO c.example\r\n");
        var first = await connection.ExpectReplyAsync(250);
        Assert.Equal("mx.example.com Hello c.example", first.Lines[0]);
        await connection.SendAsync("NOOP\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    // SPEC R82 test vector 2: had the injected MAIL run, the RCPT over TLS would get 250.
    [Fact]
    public async Task A_mail_pipelined_behind_starttls_opens_no_transaction_over_tls()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered());
        await connection.HelloAsync();
        await connection.SendAsync("STARTTLS\r\nMAIL FROM:<evil@x.example>\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        await connection.HandshakeAsync(new TlsClientPeer(ProtocolVersion.TLSv13));
        await connection.SendAsync("EHLO c.example\r\n");
        await connection.ExpectReplyAsync(250);

        await connection.SendAsync("RCPT TO:<a@example.com>\r\n");

        var rcpt = await connection.ExpectReplyAsync(SmtpReplies.NeedMail);
        Assert.Equal("503 5.5.1 Need MAIL before RCPT\r\n", rcpt.Wire);
    }

    // A TLS 1.3 client may send its first commands right behind its Finished, in the same read.
    [Fact]
    public async Task Commands_in_the_chunk_that_finishes_the_handshake_are_answered()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered());
        await connection.HelloAsync();
        await connection.SendAsync("STARTTLS\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        var peer = new TlsClientPeer(ProtocolVersion.TLSv13);
        connection.Tls = peer;
        await connection.DeliverAsync(peer.Start());
        await connection.ExpectReadRequestAsync();

        await connection.DeliverAsync(peer.Encrypt("EHLO c.example\r\nNOOP\r\n"u8.ToArray()));

        await connection.ExpectReplyAsync(250);
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }
}
