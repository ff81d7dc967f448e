using System.Net;
using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Support;

/// <summary>A gateway node on loopback with its own spool and Maildir under a temporary directory.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private TestNode(GatewayNode node, string root, GatewaySettings settings)
    {
        Node = node;
        Root = root;
        Settings = settings;
    }

    public GatewayNode Node { get; }

    public string Root { get; }

    public GatewaySettings Settings { get; }

    public IPEndPoint Smtp => (IPEndPoint)Node.SmtpEndpoints[0];

    public string Maildir => Settings.MaildirRoot;

    public static async Task<TestNode> StartAsync(params string[] switches)
    {
        var root = Path.Combine(Path.GetTempPath(), "gateway-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        string[] defaults =
        [
            "--Smtp:Listen:0=127.0.0.1:0",
            "--Smtp:Hostname=mx.test.example",
            "--Cluster:Port=0",
            $"--Queue:Directory={Path.Combine(root, "spool")}",
            $"--Delivery:Maildir={Path.Combine(root, "mail")}",
            "--Logging:LogLevel=5",

            // Tests never depend on the machine's DNS; the reverse-lookup tests give their own name server.
            "--Dns:ReverseLookup=false",

            // No fixed port (9025) for tests running side by side; the metrics tests ask for 127.0.0.1:0.
            "--Http:Listen=",
        ];
        try
        {
            var settings = ConfigurationLoader.Load(null, [.. defaults, .. switches]);
            // GWTEST_LOG=1 shows the node's log on the console (for a failing test, by hand); quiet otherwise.
            var verbose = Environment.GetEnvironmentVariable("GWTEST_LOG") == "1";
            var node = await GatewayNode.StartAsync(
                settings, l => (verbose ? l.AddSimpleConsole(o => o.SingleLine = true) : l).SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)).ConfigureAwait(false);
            return new TestNode(node, root, settings);
        }
        catch
        {
            // A node that refuses to start (the start-up tests) must not leave its directory behind.
            DeleteRoot(root);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync().ConfigureAwait(false);
        DeleteRoot(Root);
    }

    private static void DeleteRoot(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not a test failure.
        }
    }
}
