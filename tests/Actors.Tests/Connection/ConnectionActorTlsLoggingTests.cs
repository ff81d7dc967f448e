using Gateway.Protocol.Replies;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Tests.Support;
using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>SPEC R80: an event is logged when LogLevel is greater than its threshold, exactly as sendmail does.</summary>
public sealed class ConnectionActorTlsLoggingTests(ITestOutputHelper output)
    : TestKit("akka.loglevel = DEBUG\n" + TestKitConfig.Hocon, output)
{
    [Theory]
    [InlineData(9, 1)]
    [InlineData(8, 0)]
    public async Task The_TLS_summary_line_is_logged_only_when_LogLevel_is_above_8(int logLevel, int expected)
    {
        await EventFilter.Info(start: "STARTTLS=server, relay=[127.0.0.1], version=TLSv1.3, verify=NO, cipher=").ExpectAsync(expected, async () =>
        {
            await HandshakeAsync(TestTls.Offered() with { LogLevel = logLevel });
        }, Leeway(expected));
    }

    [Theory]
    [InlineData(6, 1)]
    [InlineData(5, 0)]
    public async Task A_failed_handshake_is_logged_only_when_LogLevel_is_above_5(int logLevel, int expected)
    {
        await EventFilter.Warning(start: "STARTTLS=server, error: accept failed=").ExpectAsync(expected, async () =>
        {
            var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestTls.Offered() with { LogLevel = logLevel });
            await connection.ExpectReplyAsync(220);
            await connection.SendAsync("EHLO client.example\r\nSTARTTLS\r\n");
            await connection.ExpectReplyAsync(250);
            await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
            await connection.SendAsync("this is no ClientHello\r\n");
            await connection.ExpectClosedAsync();
        }, Leeway(expected));
    }

    // The event is published before the actor's next reply; "none" needs only a short extra wait.
    private static TimeSpan Leeway(int expected) => TimeSpan.FromSeconds(expected == 0 ? 2 : 10);

    private async Task HandshakeAsync(Gateway.Actors.Connection.ConnectionSettings settings)
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), settings);
        await connection.ExpectReplyAsync(220);
        await connection.SendAsync("EHLO client.example\r\n");
        await connection.ExpectReplyAsync(250);
        await connection.SendAsync("STARTTLS\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);
        await connection.HandshakeAsync(new TlsClientPeer(ProtocolVersion.TLSv13));

        // The summary is logged while the handshake completes, before any later reply.
        await connection.SendAsync("NOOP\r\n");
        await connection.ExpectReplyAsync(250);
    }
}
