using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Entropy;
using Gateway.Configuration;
using Gateway.Delivery;
using Gateway.Hosting;
using Gateway.Protocol.Access;
using Gateway.Protocol.Entropy;
using Gateway.Protocol.Tls;
using Gateway.Spool;
using Gateway.Tests.Support;
using Gateway.Tls;
using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;
using Xunit.Abstractions;
using static Gateway.Hosting.NodeGuardian;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The node's start-up as message pairs: the entropy actor's Seeded comes before the listener exists (SPEC R71),
/// its outcome decides STARTTLS and the TLS-on-connect listeners (R39, R74, R18), and StartNode is answered
/// NodeStarted once the listener is bound, or NodeStartFailed with the address that could not be.
/// </summary>
public sealed class NodeGuardianTests(ITestOutputHelper output) : TestKit(Config, output)
{
    /// <summary>The guardian's map replica needs a cluster member (not joined: its replica reads locally all the same).</summary>
    private const string Config = """
        akka.test.single-expect-default = 10s
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("gateway-guardian-").FullName;
    private readonly List<IDisposable> _owned = [];

    [Fact]
    public async Task The_listener_is_created_only_after_the_first_seeding()
    {
        var entropy = new GatedEntropySource();
        var guardian = Sys.ActorOf(NodeGuardian.Props(Settings(), Resources(entropy)));
        var asker = CreateTestProbe();

        asker.Send(guardian, StartNode.Instance);
        Sys.ActorSelection(guardian.Path / "smtp-listener").Tell(new Identify("before"), asker);

        // The selection passes through the guardian after StartNode, so an early answer would have come first.
        Assert.Null((await asker.ExpectMsgAsync<ActorIdentity>()).Subject);
        entropy.Release(SeedStatus.Ok);
        var started = await asker.ExpectMsgAsync<NodeStarted>();
        Assert.True(started.StartTlsOffered);
        Assert.Single(started.SmtpEndpoints);
        Sys.ActorSelection(guardian.Path / "smtp-listener").Tell(new Identify("after"), asker);
        Assert.NotNull((await asker.ExpectMsgAsync<ActorIdentity>()).Subject);
    }

    [Fact]
    public async Task A_start_request_after_the_node_started_gets_the_same_answer()
    {
        var entropy = new GatedEntropySource();
        var guardian = Sys.ActorOf(NodeGuardian.Props(Settings(), Resources(entropy)));
        entropy.Release(SeedStatus.Ok);
        var first = await guardian.Ask<NodeStarted>(StartNode.Instance, RemainingOrDefault);

        var again = await guardian.Ask<NodeStarted>(StartNode.Instance, RemainingOrDefault);

        Assert.Same(first, again);
        Assert.Equal(guardian.Path / "queue", first.Queue.Path);
        Assert.Equal(guardian.Path / "policy", first.Policy.Path);
        Assert.Equal(guardian.Path / "entropy", first.Entropy.Path);
    }

    [Theory]
    [InlineData(SeedStatus.Ok, true)]
    [InlineData(SeedStatus.Weak, true)]
    [InlineData(SeedStatus.Failed, false)]
    public async Task The_seeding_outcome_decides_STARTTLS_and_the_TLS_on_connect_listeners(SeedStatus status, bool tlsOn)
    {
        var entropy = new GatedEntropySource();
        var guardian = Sys.ActorOf(NodeGuardian.Props(Settings("--Smtp:ImplicitTlsListen:0=127.0.0.1:0"), Resources(entropy)));

        entropy.Release(status);

        var started = await guardian.Ask<NodeStarted>(StartNode.Instance, RemainingOrDefault);
        Assert.Equal(tlsOn, started.StartTlsOffered);
        Assert.Equal(tlsOn ? 1 : 0, started.ImplicitTlsEndpoints.Count);
        Assert.Single(started.SmtpEndpoints);
    }

    [Fact]
    public async Task A_listen_address_in_use_answers_NodeStartFailed_naming_the_address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var entropy = new GatedEntropySource();
        var guardian = Sys.ActorOf(NodeGuardian.Props(Settings($"--Smtp:Listen:0=127.0.0.1:{port}"), Resources(entropy)));
        var asker = CreateTestProbe();
        asker.Send(guardian, StartNode.Instance);

        entropy.Release(SeedStatus.Ok);

        var failed = await asker.ExpectMsgAsync<NodeStartFailed>();
        var error = Assert.IsType<IOException>(failed.Cause);
        Assert.StartsWith($"cannot listen on 127.0.0.1:{port}: ", error.Message, StringComparison.Ordinal);
        Assert.Same(failed, await guardian.Ask<NodeStartFailed>(StartNode.Instance, RemainingOrDefault));
    }

    protected override void Dispose(bool disposing)
    {
        // The actors stop with the system before the spool and the workers they use are closed.
        base.Dispose(disposing);
        if (disposing)
        {
            foreach (var owned in _owned)
            {
                owned.Dispose();
            }

            Directory.Delete(_root, recursive: true);
        }
    }

    private GatewaySettings Settings(params string[] switches) => ConfigurationLoader.Load(
        null,
        [
            "--Smtp:Listen:0=127.0.0.1:0",
            "--Smtp:Hostname=mx.test.example",
            $"--Queue:Directory={Path.Combine(_root, "spool")}",
            $"--Delivery:Maildir={Path.Combine(_root, "mail")}",
            .. switches,
        ]);

    private NodeResources Resources(IEntropySource entropy)
    {
        var settings = Settings();
        var spool = new RocksDbSpool(settings.QueueDirectory);
        var files = new FileWorkers(1, "delivery");
        _owned.Add(files);
        _owned.Add(spool);
        var generator = new DigestRandomGenerator(new Sha256Digest());
        var tls = TlsContextLoader.Load(settings, new PlatformTlsCrypto(new SecureRandom(generator)), TimeProvider.System, NullLogger.Instance);
        var delivery = new MaildirDelivery(settings.MaildirRoot, settings.Hostname, "localhost", files);
        return new NodeResources(spool, delivery, MapFile: null, tls, generator, entropy, Resolver: null, new StaticNextHops(), ClientCredentials: null);
    }

    /// <summary>Its first reading completes when the test says so, with the outcome the test chooses.</summary>
    private sealed class GatedEntropySource : IEntropySource
    {
        private readonly TaskCompletionSource<EntropyReading> _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Description => "test:gated";

        public void Release(SeedStatus status) => _reading.TrySetResult(status == SeedStatus.Failed
            ? new EntropyReading([], new SeedOutcome(status, 0, ["STARTTLS: test source not seeded"]))
            : new EntropyReading(new byte[64], new SeedOutcome(status, 64, [])));

        public Task<EntropyReading> ReadAsync(CancellationToken cancel) => _reading.Task.WaitAsync(cancel);
    }
}
