using System.Net;
using System.Runtime.ExceptionServices;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Gateway.Access;
using Gateway.Actors.Delivery;
using Gateway.Actors.Entropy;
using Gateway.Actors.Policy;
using Gateway.Actors.Queue;
using Gateway.Configuration;
using Gateway.Control;
using DnsClient;
using Gateway.Delivery;
using Gateway.Listener;
using Gateway.Entropy;
using Gateway.Http;
using Gateway.Protocol.Access;
using Gateway.Protocol.Tls;
using Gateway.Replication;
using Gateway.Resolver;
using Gateway.Faults;
using Gateway.Spool;
using Gateway.Tls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace Gateway.Hosting;

/// <summary>
/// One running gateway node: the spool, an Akka.Cluster member with the queue and the SMTP
/// listener. Used by the executable and, several at a time, by the end-to-end tests.
/// </summary>
internal sealed class GatewayNode : IAsyncDisposable
{
    /// <summary>Product and version in the Received header's "by" comment (SPEC R68).</summary>
    public const string Product = "Gateway 0.1/0.1";

    /// <summary>How long start-up may take, the first seeding and every bind included.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;
    private readonly RocksDbSpool _spool;
    private readonly FileWorkers _files;
    private readonly AccessMapWatcher? _watcher;
    private readonly IActorRef _entropy;
    private readonly ControlSocket? _control;
    private readonly HttpEndpoints? _http;
    private Task? _stopping;

    private GatewayNode(IHost host, RocksDbSpool spool, FileWorkers files, ActorSystem system, NodeGuardian.NodeStarted started, AccessMapWatcher? watcher, ControlSocket? control, HttpEndpoints? http)
    {
        _host = host;
        _http = http;
        _control = control;
        _spool = spool;
        _files = files;
        _watcher = watcher;
        _entropy = started.Entropy;
        System = system;
        Queue = started.Queue;
        Policy = started.Policy;
        Maps = started.Maps;
        SmtpEndpoints = started.SmtpEndpoints;
        ImplicitTlsEndpoints = started.ImplicitTlsEndpoints;
        ProxyEndpoints = started.ProxyEndpoints;
        StartTlsOffered = started.StartTlsOffered;
    }

    public ActorSystem System { get; }

    /// <summary>Whether the node offers STARTTLS: false when its generator could not be seeded (SPEC R39, R74).</summary>
    public bool StartTlsOffered { get; }

    /// <summary>The node's access-map policy (SPEC sections 5–8).</summary>
    public IActorRef Policy { get; }

    public IActorRef Queue { get; }

    /// <summary>The node's replica of the cluster's access map (MapReplicaActor): publish to it, ask it what runs here.</summary>
    public IActorRef Maps { get; }

    /// <summary>Where <c>gateway queue</c> reaches this node (<see cref="ControlSocket"/>); null when it could not be opened.</summary>
    public string? ControlSocketPath => _control?.Path;

    public IReadOnlyList<EndPoint> SmtpEndpoints { get; }

    /// <summary>The TLS-on-connect listeners (SPEC R18), from Smtp:ImplicitTlsListen.</summary>
    public IReadOnlyList<EndPoint> ImplicitTlsEndpoints { get; }

    /// <summary>The listeners behind a balancer (PROXY protocol v1/v2), from Smtp:ProxyProtocolListen.</summary>
    public IReadOnlyList<EndPoint> ProxyEndpoints { get; }

    /// <summary>Where /metrics and /health/* answer (Http:Listen, port 0 resolved); null when it is off.</summary>
    public IPEndPoint? HttpEndpoint => _http?.Endpoint;

    public static async Task<GatewayNode> StartAsync(GatewaySettings settings, Action<ILoggingBuilder>? logging = null)
    {
        var spool = new RocksDbSpool(settings.QueueDirectory);
        // Maildir writes block on fsync; 16 threads keep the disk busy (more only queue in the kernel), however many
        // messages Delivery:Concurrency lets be in an attempt.
        var files = new FileWorkers(Math.Min(settings.DeliveryConcurrency, 16), "delivery");
        try
        {
            return await StartAsync(settings, spool, files, logging).ConfigureAwait(false);
        }
        catch
        {
            files.Dispose();
            spool.Dispose();
            throw;
        }
    }

    private static async Task<GatewayNode> StartAsync(GatewaySettings settings, RocksDbSpool spool, FileWorkers files, Action<ILoggingBuilder>? logging)
    {
        var configureLogging = logging ?? (settings.JsonLogs
            ? l => l.AddJsonConsole(o =>
            {
                // Timestamps in UTC, ISO 8601; the scope carries the actor path of Akka's lines (AkkaLogBridge).
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            })
            : l => l.AddSimpleConsole(o => o.SingleLine = true));
        var mapFile = LoadAccessMap(settings);
        var resources = LoadResources(settings, spool, files, mapFile, configureLogging);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevels.FromSendmail(settings.LogLevel));
        configureLogging(builder.Logging);
        builder.Services.AddAkka("gateway", (akka, services) =>
        {
            // Akka's events through our bridge (one line, the message alone), to the host's loggers.
            akka.AddSetup(new Akka.Hosting.Logging.LoggerFactorySetup(services.GetRequiredService<ILoggerFactory>()));
            akka.ConfigureLoggers(l =>
                {
                    l.LogLevel = LogLevels.AkkaFromSendmail(settings.LogLevel);
                    l.ClearLoggers();
                    l.AddLogger<AkkaLogBridge>();
                })
                // Akka.IO's channel cap must sit above ours, so ours is the one that answers 421.
                .AddHocon($"akka.io.tcp.max-channels = {settings.MaxConnections + 1024}", HoconAddMode.Prepend)
                .AddHocon(
                    $"akka.coordinated-shutdown.phases.service-unbind.timeout = {(int)settings.DrainTimeout.TotalSeconds + 10}s",
                    HoconAddMode.Prepend)
                .AddHocon(ReplicationHocon(settings), HoconAddMode.Prepend)
                .WithRemoting(settings.ClusterHostname, settings.ClusterPort)
                .WithGatewayCluster(settings)
                .WithActors((system, registry) =>
                {
                    var guardian = system.ActorOf(NodeGuardian.Props(settings, resources), "node");
                    registry.Register<NodeGuardian>(guardian);

                    // Graceful drain (SIGTERM, host stop): before the actors stop, the listener stops accepting and the
                    // transactions in flight finish within Smtp:DrainTimeout; only then does the spool close.
                    CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "drain-smtp", async () =>
                    {
                        try
                        {
                            await guardian.Ask<SmtpListener.DrainDone>(new SmtpListener.Drain(settings.DrainTimeout), settings.DrainTimeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                        }
                        catch (AskTimeoutException)
                        {
                            // The guardian is gone or stuck: the shutdown goes on; nothing acknowledged depends on it.
                        }

                        return Akka.Done.Instance;
                    });
                    if (ClusterDiscovery.JoinsItself(settings))
                    {
                        // No seeds: this node forms its own one-node cluster.
                        var cluster = Cluster.Get(system);
                        cluster.Join(cluster.SelfAddress);
                    }
                });
        });

        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        try
        {
            var started = await StartNodeAsync(host.Services.GetRequiredService<ActorRegistry>().Get<NodeGuardian>()).ConfigureAwait(false);
            var http = await HttpEndpoints.StartAsync(settings, host.Services.GetRequiredService<ActorSystem>(), started, configureLogging).ConfigureAwait(false);
            var watcher = settings.Access.MapFile is { } file
                ? new AccessMapWatcher(file, mapFile!.Stamp, started.Maps, started.Policy, settings.QueueDirectory, host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Access"), settings.DontBlameSendmail, AccessMapWatcher.DefaultInterval)
                : null;
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            var control = OpenControl(settings, started, lifetime.StopApplication, host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Control"));
            return new GatewayNode(host, spool, files, host.Services.GetRequiredService<ActorSystem>(), started, watcher, control, http);
        }
        catch
        {
            await host.StopAsync().ConfigureAwait(false);
            host.Dispose();
            throw;
        }
    }

    /// <summary>The one request at the edge: the guardian answers once the listener is bound, or why it is not.</summary>
    private static async Task<NodeGuardian.NodeStarted> StartNodeAsync(IActorRef guardian)
    {
        object answer;
        try
        {
            answer = await guardian.Ask<object>(NodeGuardian.StartNode.Instance, StartTimeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException e)
        {
            throw new TimeoutException($"the node did not start within {StartTimeout.TotalSeconds} s (first seeding or listen addresses)", e);
        }

        if (answer is NodeGuardian.NodeStartFailed failed)
        {
            ExceptionDispatchInfo.Throw(failed.Cause);
        }

        return (NodeGuardian.NodeStarted)answer;
    }

    /// <summary>
    /// The control socket for <c>gateway queue</c>, opened once the queue runs. A node that cannot open it still carries
    /// mail: the operator's view is lost, not the service, and the log says why.
    /// </summary>
    private static ControlSocket? OpenControl(GatewaySettings settings, NodeGuardian.NodeStarted started, Action stop, ILogger log)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return ControlSocket.Open(settings.QueueDirectory, new ControlHandler(started.Queue, ControlSocket.AskTimeout, stop) { Maps = started.Maps, DontBlameSendmail = settings.DontBlameSendmail }, log);
        }
        catch (IOException e)
        {
            log.LogError("no control socket, so no 'gateway queue' on this node: {Reason}", e.Message);
            return null;
        }
    }

    /// <summary>The spool, the delivery, the map, TLS and the generator: everything the guardian's actors are given.</summary>
    private static NodeResources LoadResources(GatewaySettings settings, RocksDbSpool spool, FileWorkers files, AccessMapFile.Loaded? mapFile, Action<ILoggingBuilder> configureLogging)
    {
        var generator = new DigestRandomGenerator(new Sha256Digest());
        TlsServerOptions tls;
        TlsClientCredentials? clientCredentials;
        using (var loggers = LoggerFactory.Create(l => configureLogging(l.SetMinimumLevel(LogLevels.FromSendmail(settings.LogLevel)))))
        {
            // SPEC R71: every TLS engine of the node draws from one generator that only the EntropyActor seeds.
            // No handshake can happen before the first seeding: the guardian starts the listener and the queue only after it.
            tls = TlsContextLoader.Load(settings, new PlatformTlsCrypto(new SecureRandom(generator)), TimeProvider.System, loggers.CreateLogger("Gateway.Tls"));
            clientCredentials = TlsContextLoader.ClientCredentials(settings, loggers.CreateLogger("Gateway.Tls"));
        }

        var insufficientEntropy = settings.DontBlameSendmail.Contains("InsufficientEntropy");
        var (spooled, delivery) = WithCrashPoint(spool, new MaildirDelivery(settings.MaildirRoot, settings.Hostname, settings.LocalDomains.First(), files));
        return new NodeResources(
            spooled,
            delivery,
            StartupMap(settings, mapFile),
            tls,
            generator,
            EntropySources.For(settings.RandFile, insufficientEntropy, TimeProvider.System),
            settings.Dns.ReverseLookup ? ClientResolver.For(settings.Dns) : null,
            NextHops(settings),
            clientCredentials);
    }

    /// <summary>The test hook TEST_GATEWAY_CRASH_POINT (off unless set): spool and delivery that SIGKILL the process at that point.</summary>
    private static (ISpool Spool, IMailDelivery Delivery) WithCrashPoint(ISpool spool, IMailDelivery delivery)
    {
        if (CrashPoint.FromEnvironment() is not { } point)
        {
            return (spool, delivery);
        }

        Console.Error.WriteLine($"gateway: test hook {CrashPoint.Variable}={Environment.GetEnvironmentVariable(CrashPoint.Variable)} is set: this node kills itself there");
        return (new CrashPointSpool(spool, point), new CrashPointDelivery(delivery, point));
    }

    /// <summary>Dns:Servers when given, else resolv.conf's; a host name of ours as an MX is a loop (RFC 5321 §5.1).</summary>
    private static CachingNextHops NextHops(GatewaySettings settings)
    {
        IReadOnlyList<NameServer> servers = settings.Dns.Servers.Count > 0
            ? [.. settings.Dns.Servers.Select(s => new NameServer(s))]
            : [.. NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)];
        var self = settings.Hostname.TrimEnd('.');
        return new CachingNextHops(
            new NextHopResolver(servers, settings.Dns.Timeout, name => name.TrimEnd('.').Equals(self, StringComparison.OrdinalIgnoreCase)), TimeProvider.System);
    }

    /// <summary>
    /// The replicated access map (MapReplicaActor): durable in files under the spool directory (FileDurableStore), so a
    /// restarted node decides with its last map before it reaches the others; written to every member at once by a
    /// push, gossiped every second besides (deltas every 200 ms), and handed to the PolicyActor within 100 ms of
    /// arriving. The frame size lets one replicated map (MapReleaseCodec.MaxEncodedLength) travel in one message.
    /// </summary>
    private static string ReplicationHocon(GatewaySettings settings) => $$"""
        akka.cluster.distributed-data {
          gossip-interval = 1 s
          notify-subscribers-interval = 100 ms
          durable.keys = ["{{MapReplicaActor.Key.Id}}"]
          durable.store-actor-class = "{{typeof(FileDurableStore).FullName}}, {{typeof(FileDurableStore).Assembly.GetName().Name}}"
          durable.file.dir = "{{Path.Combine(Path.GetFullPath(settings.QueueDirectory), "ddata")}}"
        }
        akka.remote.dot-netty.tcp.maximum-frame-size = {{MapReleaseCodec.MaxEncodedLength + 1024 * 1024}}b
        """;

    /// <summary>The generator's state for health checks (issue 6): source, ok/weak/failed, bytes seeded, last seeding.</summary>
    public Task<EntropyProtocol.EntropyStatus> EntropyStatusAsync(TimeSpan timeout) =>
        _entropy.Ask<EntropyProtocol.EntropyStatus>(EntropyProtocol.GetEntropyStatus.Instance, timeout);

    public Task WaitForShutdownAsync() => _host.WaitForShutdownAsync();

    /// <summary>Access:MapFile to publish at start: only when it changed since this node last published it (a restart is not an edit).</summary>
    private static MapReplicaProtocol.PublishMap? StartupMap(GatewaySettings settings, AccessMapFile.Loaded? mapFile)
    {
        if (mapFile is null)
        {
            return null;
        }

        var digest = MapRelease.DigestOf(mapFile.Text);
        if (PublishedMapFile.Read(settings.QueueDirectory) == digest)
        {
            return null;
        }

        PublishedMapFile.Write(settings.QueueDirectory, digest);
        return new MapReplicaProtocol.PublishMap(mapFile.Text, settings.Access.MapFile!);
    }

    /// <summary>The access map at start: a missing, unsafe or broken file stops start-up, naming the file and line.</summary>
    private static AccessMapFile.Loaded? LoadAccessMap(GatewaySettings settings)
    {
        if (settings.Access.MapFile is not { } file)
        {
            return null;
        }

        try
        {
            return AccessMapFile.Load(file, settings.DontBlameSendmail);
        }
        catch (Exception e) when (e is AccessMapError or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationError("Access:MapFile", e.Message);
        }
    }

    /// <summary>Stops the node once; a second call (a test that stopped it, then its fixture) waits for the same stop.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_host)
        {
            _stopping ??= StopAsync();
        }

        return new ValueTask(_stopping);
    }

    private async Task StopAsync()
    {
        if (_http is not null)
        {
            await _http.DisposeAsync().ConfigureAwait(false);
        }

        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        if (_watcher is not null)
        {
            await _watcher.DisposeAsync().ConfigureAwait(false);
        }

        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
        _files.Dispose();
        _spool.Dispose();
    }
}
