using System.Diagnostics;
using System.Runtime.Versioning;
using Xunit.Abstractions;
using Akka.Actor;
using Akka.Cluster;
using Gateway.Actors.Policy;
using Gateway.Cli;
using Gateway.Tests.Access;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cluster;

/// <summary>
/// The access map replicated through the cluster (Akka.DistributedData, durable in LMDB): <c>gateway map push</c> on one
/// node changes the decisions of real SMTP sessions on all three; a bad file changes nothing anywhere; a restarted node
/// decides with its last map before it reaches any other.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ReplicatedMapTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>sendmail's tls_client refusal (454 4.7.0 with sendmail 8.17 codes, R53) for a client in clear that TLS_Clt asks to encrypt (R52, R54).</summary>
    private const string EncryptionRequired = "TLS_Clt:127.0.0.1 ENCR:128\n";

    private readonly List<TestNode> _nodes = [];
    private readonly MapDirectory _maps = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _maps.Dispose();
    }

    [Fact]
    public async Task A_map_pushed_to_one_node_decides_sessions_on_all_three()
    {
        var nodes = await StartClusterAsync(3);
        foreach (var node in nodes)
        {
            Assert.StartsWith("250 ", await MailReplyAsync(node), StringComparison.Ordinal);
        }

        var file = _maps.Write("access", EncryptionRequired);
        var clock = Stopwatch.StartNew();
        var (exit, text) = await RunAsync("map", "push", file, "--queue-dir", nodes[1].Settings.QueueDirectory);
        var answered = clock.Elapsed;
        Assert.True(exit == 0, text);
        Assert.Contains($"published version 1", text, StringComparison.Ordinal);

        // Every node's policy holds the new version (its source names the digest), then every node's sessions obey it.
        var digest = Gateway.Protocol.Access.MapRelease.DigestOf(EncryptionRequired);
        await Eventually.UntilAsync(
            async () => (await Task.WhenAll(nodes.Select(PolicySourceAsync))).Count(s => s.Contains(digest, StringComparison.Ordinal)),
            n => n == 3,
            "the pushed map in every node's policy",
            Deadline);
        var inForce = clock.Elapsed;
        output.WriteLine($"push answered after {answered.TotalMilliseconds:0} ms; in every node's policy after {inForce.TotalMilliseconds:0} ms");
        foreach (var node in nodes)
        {
            Assert.StartsWith("454 4.7.0", await MailReplyAsync(node), StringComparison.Ordinal);
        }

        var (_, status) = await RunAsync("map", "status", "--queue-dir", nodes[2].Settings.QueueDirectory);
        Assert.Contains($"access map version 1 ({digest}) of {file}, 1 entries", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_map_is_refused_with_its_line_and_changes_nothing_anywhere()
    {
        var nodes = await StartClusterAsync(2);
        var good = _maps.Write("access", EncryptionRequired);
        Assert.Equal(0, (await RunAsync("map", "push", good, "--queue-dir", nodes[0].Settings.QueueDirectory)).Exit);
        foreach (var node in nodes)
        {
            // Written to every member before the push answers; handed to each one's policy at its next notification.
            await Eventually.UntilAsync(() => MapStatusAsync(node), m => m.Current?.Version == 1, "version 1 everywhere", Deadline);
        }

        var bad = _maps.Write("bad", "Connect:192.0.2.7 OK\nTLS_Clt:x VERIFY:abc\n");
        var (exit, text) = await RunAsync("map", "push", bad, "--queue-dir", nodes[0].Settings.QueueDirectory);

        Assert.Equal(ExitCodes.DataError, exit);
        Assert.Contains($"{bad}, line 2", text, StringComparison.Ordinal);
        foreach (var node in nodes)
        {
            var map = await MapStatusAsync(node);
            Assert.Equal(1, map.Current?.Version);
            Assert.StartsWith("454 4.7.0", await MailReplyAsync(node), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_restarted_node_decides_with_its_last_map_before_it_reaches_any_other()
    {
        var spool = Path.Combine(_maps.Root, "spool");
        var first = await StartAsync($"--Queue:Directory={spool}");
        Assert.Equal(0, (await RunAsync("map", "push", _maps.Write("access", EncryptionRequired), "--queue-dir", spool)).Exit);
        _nodes.Remove(first);
        await first.DisposeAsync();

        // Its only seed is a socket that never answers (held here, so no other test's node can take the port): the node
        // cannot reach any member, yet it starts with its map.
        using var deaf = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        deaf.Start();
        var again = await StartAsync($"--Queue:Directory={spool}", $"--Cluster:SeedNodes:0=akka.tcp://gateway@127.0.0.1:{((System.Net.IPEndPoint)deaf.LocalEndpoint).Port}");

        Assert.Equal(1, (await MapStatusAsync(again)).Current?.Version);
        Assert.StartsWith("454 4.7.0", await MailReplyAsync(again), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_node_decides_with_the_clusters_map_from_its_first_session()
    {
        var nodes = await StartClusterAsync(2);
        Assert.Equal(0, (await RunAsync("map", "push", _maps.Write("access", EncryptionRequired), "--queue-dir", nodes[0].Settings.QueueDirectory)).Exit);

        // A new volume: nothing stored; it reads the others' map before its listener opens.
        var joining = await StartAsync($"--Cluster:SeedNodes:0={Akka.Cluster.Cluster.Get(nodes[0].Node.System).SelfAddress}");

        Assert.StartsWith("454 4.7.0", await MailReplyAsync(joining), StringComparison.Ordinal);
        Assert.Equal(1, (await MapStatusAsync(joining)).Current?.Version);
    }

    [Fact]
    public async Task A_restart_with_the_same_map_file_does_not_undo_a_push()
    {
        var spool = Path.Combine(_maps.Root, "spool");
        var file = _maps.Write("access", "# nothing: the built-in rules\n");
        var first = await StartAsync($"--Queue:Directory={spool}", $"--Access:MapFile={file}");
        Assert.Equal(0, (await RunAsync("map", "push", _maps.Write("pushed", EncryptionRequired), "--queue-dir", spool)).Exit);
        Assert.StartsWith("454 4.7.0", await MailReplyAsync(first), StringComparison.Ordinal);
        _nodes.Remove(first);
        await first.DisposeAsync();

        var again = await StartAsync($"--Queue:Directory={spool}", $"--Access:MapFile={file}");

        Assert.StartsWith("454 4.7.0", await MailReplyAsync(again), StringComparison.Ordinal);
        Assert.Equal(2, (await MapStatusAsync(again)).Current?.Version);
    }

    [Fact]
    public async Task The_node_checks_the_file_itself_and_refuses_a_bad_one()
    {
        var node = await StartAsync();
        var socket = Gateway.Control.ControlSocket.PathIn(node.Settings.QueueDirectory);
        var bad = _maps.Write("bad", "Connect:192.0.2.7 OK\nconnect:192.0.2.7 RELAY\n");

        var answer = await Gateway.Control.ControlClient.ExchangeAsync(socket, new Gateway.Control.ControlRequest(Gateway.Control.ControlRequest.MapPush, File: bad));

        Assert.False(answer.Ok);
        Assert.Contains($"{bad}, line 2", answer.Text, StringComparison.Ordinal);
        Assert.Null((await MapStatusAsync(node)).Current);
        var relative = await Gateway.Control.ControlClient.ExchangeAsync(socket, new Gateway.Control.ControlRequest(Gateway.Control.ControlRequest.MapPush, File: "access"));
        Assert.Equal(Gateway.Control.ControlAnswer.BadRequest, relative.Error);
    }

    private async Task<IReadOnlyList<TestNode>> StartClusterAsync(int count)
    {
        var seed = await StartAsync();
        var address = Akka.Cluster.Cluster.Get(seed.Node.System).SelfAddress;
        for (var i = 1; i < count; i++)
        {
            await StartAsync($"--Cluster:SeedNodes:0={address}");
        }

        foreach (var node in _nodes)
        {
            await Eventually.UntilAsync(
                () => Akka.Cluster.Cluster.Get(node.Node.System).State.Members.Count(m => m.Status == MemberStatus.Up),
                n => n == count,
                $"{count} members Up",
                Deadline);
        }

        return _nodes;
    }

    private async Task<TestNode> StartAsync(params string[] switches)
    {
        var node = await TestNode.StartAsync(switches);
        _nodes.Add(node);
        return node;
    }

    /// <summary>A plain session's reply to MAIL: 250, or the tls_client refusal when TLS_Clt asks for encryption.</summary>
    private static async Task<string?> MailReplyAsync(TestNode node)
    {
        await using var smtp = await SmtpStream.ConnectAsync(node.Smtp);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        return await smtp.CommandAsync("MAIL FROM:<a@example.com>");
    }

    private static async Task<string> PolicySourceAsync(TestNode node) =>
        (await node.Node.Policy.Ask<PolicyProtocol.PolicyStatus>(PolicyProtocol.GetPolicyStatus.Instance, TimeSpan.FromSeconds(5))).Source;

    private static Task<MapReplicaProtocol.MapStatus> MapStatusAsync(TestNode node) =>
        node.Node.Maps.Ask<MapReplicaProtocol.MapStatus>(MapReplicaProtocol.GetMapStatus.Instance, TimeSpan.FromSeconds(5));

    private static async Task<(int Exit, string Text)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GatewayCommandLine.InvokeAsync(args, new CommandLineConsole(output, error));
        return (exit, output + error.ToString());
    }
}
