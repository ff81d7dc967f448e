using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Gateway.Tests.Access;
using Gateway.Tests.Relay;
using Gateway.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Tests.Crash;

/// <summary>
/// SIGKILL while relaying: a gateway child process relays to a next hop in this process and is killed mid-stream.
/// After the restart every accepted message reaches the hop at least once, and any message that arrives twice arrives
/// byte for byte the same (same Message-ID, same Received line with the same queue id), so the next hop or the reader
/// can tell the repeat: the guarantee is at least once, as SMTP's own (RFC 5321 §6.1: a lost reply to the end of data
/// makes the client send again).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed partial class RelayCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Messages = 100;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gateway-tests", Guid.NewGuid().ToString("N"));
    private readonly MapDirectory _maps = new();

    [Fact]
    public async Task Every_accepted_message_reaches_the_next_hop_at_least_once_and_identically_after_SIGKILL_mid_relay()
    {
        await using var sink = new TinySmtpServer();
        string[] switches =
        [
            "--Smtp:Listen:0=127.0.0.1:0",
            "--Smtp:Hostname=mx.test.example",
            "--Cluster:Port=0",
            $"--Queue:Directory={Path.Combine(_root, "spool")}",
            $"--Delivery:Maildir={Path.Combine(_root, "mail")}",
            $"--Access:MapFile={_maps.Write("access", "Connect:127.0.0.1 RELAY\n")}",
            $"--Delivery:Routes:remote.example=smtp:[127.0.0.1]:{sink.Port}",

            // One transaction at a time, so that many accepted messages are still queued at the kill.
            "--Delivery:Concurrency=1",
            "--Delivery:MaxConnectionsPerDestination=1",
            "--Logging:LogLevel=1",
        ];

        var accepted = new List<string>();
        using (var first = await ChildGateway.StartAsync(switches))
        {
            var submitted = Task.Run(async () =>
            {
                for (var i = 0; i < Messages; i++)
                {
                    accepted.Add(await SubmitAsync(first, i));
                }
            });

            // Kill once the relay is under way but far from done.
            await Eventually.UntilAsync(() => sink.Messages.Count, n => n >= 10, "the first relayed messages", TimeSpan.FromSeconds(60));
            await submitted;
            first.Kill();
        }

        var beforeRestart = sink.Messages.Count;
        using (var second = await ChildGateway.StartAsync(switches))
        {
            await Eventually.UntilAsync(
                () => sink.Messages.Select(MessageId).Distinct().Count(), n => n >= Messages, $"all {Messages} messages at the next hop", TimeSpan.FromSeconds(90));
            await second.StopAsync();
        }

        var copies = sink.Messages.GroupBy(MessageId).ToList();
        output.WriteLine($"{Messages} accepted; {beforeRestart} relayed before the kill; {sink.Messages.Count} copies in all, {copies.Count(g => g.Count() > 1)} sent twice");
        Assert.Equal(Messages, accepted.Count);
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"<{i}@crash.test>").Order(), copies.Select(g => g.Key).Order());
        Assert.All(copies, g => Assert.Single(g.Select(m => m.Data).Distinct()));
    }

    private static async Task<string> SubmitAsync(ChildGateway gateway, int n)
    {
        await using var smtp = await SmtpStream.ConnectAsync(gateway.Smtp);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync());
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.test.example"));
        Assert.StartsWith("250", await smtp.CommandAsync("MAIL FROM:<alice@localhost>"));
        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<bob@remote.example>"));
        Assert.StartsWith("354", await smtp.CommandAsync("DATA"));
        var reply = await smtp.CommandAsync($"Message-ID: <{n}@crash.test>\r\nSubject: crash {n}\r\n\r\nbody {n}\r\n.");
        Assert.StartsWith("250", reply);
        return reply!;
    }

    private static string MessageId(TinySmtpServer.Received message) => IdHeader().Match(message.Data).Groups[1].Value;

    [GeneratedRegex(@"(?im)^Message-ID: (<[^>]+>)")]
    private static partial Regex IdHeader();

    public void Dispose()
    {
        _maps.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not a test failure.
        }
    }
}
