using System.Net;
using System.Runtime.Versioning;
using Akka.Actor;
using Gateway.Actors.Queue;
using Gateway.Tests.Access;
using Gateway.Tests.Support;

namespace Gateway.Tests.Relay;

/// <summary>
/// What the relay tests share: a node that lets 127.0.0.1 relay (Connect: RELAY) and routes remote.example to a
/// <see cref="TinySmtpServer"/>, a raw client to hand it mail, and the queue's listing.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class RelayFixture : IAsyncDisposable
{
    private readonly MapDirectory _maps = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public async Task<TestNode> NodeAsync(TinySmtpServer sink, params string[] switches) =>
        await NodeAsync("Connect:127.0.0.1 RELAY", sink, switches);

    public Task<TestNode> NodeAsync(string map, TinySmtpServer sink, params string[] switches) => NodeAsync(map, sink.Port, switches);

    public Task<TestNode> NodeAsync(string map, int port, params string[] switches) =>
        NodeWithRouteAsync(map, $"smtp:[127.0.0.1]:{port}", switches);

    /// <summary>A node whose route for remote.example is <paramref name="route"/> as written in Delivery:Routes.</summary>
    public async Task<TestNode> NodeWithRouteAsync(string map, string route, params string[] switches)
    {
        var node = await TestNode.StartAsync(
        [
            $"--Access:MapFile={_maps.Write("access", map + "\n")}",
            $"--Delivery:Routes:remote.example={route}",
            .. switches,
        ]);
        _owned.Add(node);
        return node;
    }

    public TinySmtpServer Sink(SinkBehaviour? behaviour = null, IPAddress? address = null, int port = 0)
    {
        var sink = new TinySmtpServer(behaviour, address, port);
        _owned.Add(sink);
        return sink;
    }

    /// <summary>Hands the gateway one message over a plain session and returns the 250's text.</summary>
    public static async Task<string> SubmitAsync(TestNode node, string from, IReadOnlyList<string> to, string body = "Subject: relay test\r\n\r\nHello over there.\r\n")
    {
        await using var smtp = await SmtpStream.ConnectAsync(node.Smtp);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync());
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.test.example"));
        Assert.StartsWith("250", await smtp.CommandAsync($"MAIL FROM:<{from}>"));
        foreach (var rcpt in to)
        {
            Assert.StartsWith("250", await smtp.CommandAsync($"RCPT TO:<{rcpt}>"));
        }

        Assert.StartsWith("354", await smtp.CommandAsync("DATA"));
        var accepted = await smtp.CommandAsync(body + ".");
        Assert.StartsWith("250", accepted);
        await smtp.CommandAsync("QUIT");
        return accepted!;
    }

    public static async Task<IReadOnlyList<QueueListing>> ListAsync(TestNode node) =>
        (await node.Node.Queue.Ask<QueueControl.QueueList>(QueueControl.ListQueue.Instance, Deadline)).Messages;

    /// <summary>Waits until the queue has a message whose listing satisfies <paramref name="wanted"/>.</summary>
    public static Task<IReadOnlyList<QueueListing>> QueueUntilAsync(TestNode node, Func<IReadOnlyList<QueueListing>, bool> wanted, string what) =>
        Eventually.UntilAsync(() => ListAsync(node), wanted, what, Deadline, l => string.Join("; ", l.Select(m => $"{m.Id} {m.State} {m.LastError}")));

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        _maps.Dispose();
    }

    public static IPAddress Loopback => IPAddress.Loopback;
}
