using Gateway.Protocol.Replies;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Tests.Support;
using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>
/// SPEC R5/R6: a handshake that fails or never starts ends the connection without an SMTP reply,
/// because after the 220 the stream belongs to TLS and a clear-text reply would be garbage to it.
/// At most a TLS alert record goes out. The handshake deadline runs in virtual time (<see cref="VirtualTime"/>): the
/// tests move the clock past it once the session has asked for the client's first flight.
/// </summary>
public sealed class ConnectionActorTlsFailureTests : TestKit
{
    private static readonly TimeSpan Handshake = TimeSpan.FromMinutes(5);

    private readonly VirtualTime _time;

    public ConnectionActorTlsFailureTests(ITestOutputHelper output)
        : base(VirtualTime.Hocon, output)
    {
        _time = new VirtualTime(Sys);
    }

    [Theory]
    [InlineData("45484c4f20632e6578616d706c650d0a")]     // "EHLO c.example\r\n": a client that did not start TLS
    [InlineData("474554202f20485454502f312e310d0a0d0a")] // "GET / HTTP/1.1\r\n\r\n"
    [InlineData("16030100040a000000")]                   // a handshake record whose message is not a ClientHello
    public async Task Garbage_instead_of_a_client_hello_closes_the_connection_without_an_smtp_reply(string hex)
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered());
        Watch(connection.Session);
        await connection.HelloAsync();
        await connection.SendAsync("STARTTLS\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        var writes = connection.Writes;

        await connection.DeliverAsync(Convert.FromHexString(hex));

        await connection.ExpectClosedAsync();
        Assert.All(connection.Written.Skip(writes), write => Assert.Equal(TestTls.Alert, write[0]));
        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task A_client_that_sends_no_client_hello_after_the_220_is_closed_at_the_handshake_timeout_without_a_reply()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered() with { HandshakeTimeout = Handshake });
        Watch(connection.Session);
        await connection.HelloAsync();
        await connection.SendAsync("STARTTLS\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        await connection.ExpectReadRequestAsync();
        var writes = connection.Writes;

        _time.Advance(Handshake);
        await connection.ExpectClosedAsync();

        Assert.Equal(writes, connection.Writes);
        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task A_silent_client_on_an_implicit_tls_listener_is_closed_at_the_handshake_timeout_without_a_greeting()
    {
        var settings = TestTls.Offered() with { HandshakeTimeout = Handshake, ImplicitTls = true };
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), settings);
        Watch(connection.Session);
        await connection.ExpectReadRequestAsync();

        _time.Advance(Handshake);
        await connection.ExpectClosedAsync();

        Assert.Equal(0, connection.Writes);
        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task A_client_that_stops_halfway_through_the_handshake_is_closed_at_the_handshake_timeout_without_a_reply()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered() with { HandshakeTimeout = Handshake });
        Watch(connection.Session);
        await connection.HelloAsync();
        await connection.SendAsync("STARTTLS\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        var peer = new TlsClientPeer(ProtocolVersion.TLSv12);
        connection.Tls = peer;
        await connection.DeliverAsync(peer.Start());
        await connection.ExpectReadRequestAsync();
        var writes = connection.Writes;

        _time.Advance(Handshake);
        await connection.ExpectClosedAsync();

        Assert.Equal(writes, connection.Writes);
        Assert.False(peer.HandshakeComplete);
        await ExpectTerminatedAsync(connection.Session);
    }

    // The client's Finished, a command and its close_notify in one read: the client has gone, so
    // nothing is answered, and nothing may be written into the closed session either.
    [Fact]
    public async Task A_close_notify_in_the_chunk_that_finishes_the_handshake_closes_without_a_reply()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered());
        Watch(connection.Session);
        await connection.HelloAsync();
        await connection.SendAsync("STARTTLS\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        var peer = new TlsClientPeer(ProtocolVersion.TLSv13);
        connection.Tls = peer;
        await connection.DeliverAsync(peer.Start());
        await connection.ExpectReadRequestAsync();
        var finishedAndNoop = peer.Encrypt("NOOP\r\n"u8.ToArray());

        await connection.DeliverAsync([.. finishedAndNoop, .. peer.Close()]);

        await connection.ExpectClosedAsync();
        await ExpectTerminatedAsync(connection.Session);
    }
}
