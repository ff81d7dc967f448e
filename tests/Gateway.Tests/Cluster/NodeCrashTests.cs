using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Gateway.Actors.Policy;
using Gateway.Tests.Support;
using MailKit.Net.Smtp;
using MimeKit;
using Xunit.Abstractions;

namespace Gateway.Tests.Cluster;

/// <summary>
/// A node of a 3-node cluster killed with SIGKILL under load (a child gateway process, the other two in this process):
/// the other nodes serve throughout without a failure, and once restarted on its spool the killed node delivers every
/// message it had acknowledged, exactly once. Mail is shared-nothing: each node owns what it accepted.
/// </summary>
public sealed class NodeCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "gateway-tests", Guid.NewGuid().ToString("N"));
    private readonly List<TestNode> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not a test failure.
        }
    }

    [Fact]
    public async Task A_node_killed_under_load_loses_no_acknowledged_message_and_the_others_serve_throughout()
    {
        _nodes.Add(await TestNode.StartAsync());
        var seed = Akka.Cluster.Cluster.Get(_nodes[0].Node.System).SelfAddress;
        _nodes.Add(await TestNode.StartAsync($"--Cluster:SeedNodes:0={seed}"));
        string[] child =
        [
            "--Smtp:Listen:0=127.0.0.1:0",
            "--Smtp:Hostname=mx.test.example",
            "--Cluster:Port=0",
            $"--Cluster:SeedNodes:0={seed}",
            $"--Queue:Directory={Path.Combine(_root, "spool")}",
            $"--Delivery:Maildir={Path.Combine(_root, "mail")}",

            // One delivery at a time, so that many acknowledged messages are still in the spool at the kill.
            "--Delivery:Concurrency=1",
            "--Logging:LogLevel=1",
        ];

        var acknowledged = new ConcurrentBag<string>();
        var othersSent = new ConcurrentBag<string>();
        var othersFailed = new ConcurrentBag<string>();
        using var stopOthers = new CancellationTokenSource();
        Task othersLoad;
        using (var victim = await ChildGateway.StartAsync(child))
        {
            await Eventually.UntilAsync(
                () => Akka.Cluster.Cluster.Get(_nodes[0].Node.System).State.Members.Count(m => m.Status == MemberStatus.Up), n => n == 3, "3 members Up", Deadline);

            // The two surviving nodes carry load from before the kill until after the restart.
            othersLoad = Task.WhenAll(_nodes.Select((n, i) => LoadAsync(n, $"other{i}", othersSent, othersFailed, stopOthers.Token)));

            // Three clients send to the victim; it is killed once 60 messages are acknowledged, whatever is in flight.
            using var stopVictim = new CancellationTokenSource();
            var victimLoad = Task.WhenAll(Enumerable.Range(0, 3).Select(c => SendUntilFailureAsync(victim, c, acknowledged, stopVictim.Token)));
            await Eventually.UntilAsync(() => Task.FromResult(acknowledged.Count), n => n >= 60, "60 messages acknowledged by the victim", Deadline);
            victim.Kill();
            await victimLoad;

            // While the killed node is unreachable, the survivors say their map may be behind, and go on serving.
            await Eventually.UntilAsync(
                () => _nodes[0].Node.Maps.Ask<MapReplicaProtocol.MapStatus>(MapReplicaProtocol.GetMapStatus.Instance, TimeSpan.FromSeconds(5)),
                m => m.Unreachable.Count == 1,
                "the killed node unreachable in the map status",
                Deadline);
        }

        var inMaildirAtKill = DeliveredIds().Count;
        using (var restarted = await ChildGateway.StartAsync(child))
        {
            await Eventually.UntilAsync(
                () => Task.FromResult(DeliveredIds().Distinct().Count()), n => n >= acknowledged.Count, "every acknowledged message in Maildir", Deadline);
            await restarted.StopAsync();
        }

        await stopOthers.CancelAsync();
        await othersLoad;
        output.WriteLine($"victim: {acknowledged.Count} acknowledged, {inMaildirAtKill} in Maildir at the kill; others: {othersSent.Count} sent, {othersFailed.Count} failed");

        var delivered = DeliveredIds();
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), delivered.Where(acknowledged.Contains).Order(StringComparer.Ordinal));
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Empty(othersFailed);
        Assert.True(othersSent.Count > 0, "the other nodes carried load");
    }

    /// <summary>Sessions to a surviving node, one message each, until told to stop; any failure is recorded.</summary>
    private static async Task LoadAsync(TestNode node, string name, ConcurrentBag<string> sent, ConcurrentBag<string> failed, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var id = $"{name}-{i}@client.example";
            try
            {
                using var smtp = new SmtpClient();
                await smtp.ConnectAsync(node.Smtp.Address.ToString(), node.Smtp.Port, MailKit.Security.SecureSocketOptions.None, CancellationToken.None);
                await smtp.SendAsync(Message(id, $"{name}@localhost"), CancellationToken.None);
                await smtp.DisconnectAsync(quit: true, CancellationToken.None);
                sent.Add(id);
            }
            catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException)
            {
                failed.Add($"{id}: {e.Message}");
            }
        }
    }

    /// <summary>One session to the victim; every message it acknowledges is recorded; the kill ends it.</summary>
    private static async Task SendUntilFailureAsync(ChildGateway victim, int client, ConcurrentBag<string> acknowledged, CancellationToken stop)
    {
        try
        {
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync(victim.Smtp.Address.ToString(), victim.Smtp.Port, MailKit.Security.SecureSocketOptions.None, stop);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"victim-{client}-{i}@client.example";
                await smtp.SendAsync(Message(id, "bob@localhost"), stop);
                acknowledged.Add(id);
            }
        }
        catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // The kill: what was acknowledged before it is what counts.
        }
    }

    private static MimeMessage Message(string id, string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@client.example"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = id;
        message.MessageId = id;
        message.Body = new TextPart("plain") { Text = $"message {id}" };
        return message;
    }

    private List<string> DeliveredIds() => MaildirReader.MessageIds(Path.Combine(_root, "mail"), "bob@localhost");
}
