using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Gateway.Access;
using Gateway.Actors.Connection;
using Gateway.Actors.Entropy;
using Gateway.Actors.Policy;
using Gateway.Actors.Queue;
using Gateway.Configuration;
using Gateway.Delivery;
using Gateway.Entropy;
using Gateway.Protocol.Access;
using Gateway.Protocol.Entropy;
using Gateway.Protocol.Tls;
using Gateway.Resolver;
using Gateway.Tls;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;
using Gateway.Listener;
using Gateway.Protocol.Session;
using Gateway.Spool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Hosting;

/// <summary>
/// One running gateway node: the spool, an Akka.Cluster member with the queue and the SMTP
/// listener. Used by the executable and, several at a time, by the end-to-end tests.
/// </summary>
internal sealed class GatewayNode : IAsyncDisposable
{
    /// <summary>Product and version in the Received header's "by" comment (SPEC R68).</summary>
    public const string Product = "Gateway 0.1/0.1";

    private readonly IHost _host;
    private readonly RocksDbSpool _spool;
    private readonly FileWorkers _files;
    private AccessMapWatcher? _watcher;
    private IActorRef _entropy = ActorRefs.Nobody;

    private GatewayNode(IHost host, RocksDbSpool spool, FileWorkers files, ActorSystem system, IActorRef queue, BoundEndpoints endpoints)
    {
        _host = host;
        _spool = spool;
        _files = files;
        System = system;
        Queue = queue;
        SmtpEndpoints = endpoints.Smtp;
        ImplicitTlsEndpoints = endpoints.ImplicitTls;
    }

    public ActorSystem System { get; }

    /// <summary>Whether the node offers STARTTLS: false when its generator could not be seeded (SPEC R39, R74).</summary>
    public bool StartTlsOffered { get; private init; }

    /// <summary>The node's access-map policy (SPEC sections 5–8).</summary>
    public IActorRef Policy { get; private init; } = ActorRefs.Nobody;

    public IActorRef Queue { get; }

    public IReadOnlyList<EndPoint> SmtpEndpoints { get; }

    /// <summary>The TLS-on-connect listeners (SPEC R18), from Smtp:ImplicitTlsListen.</summary>
    public IReadOnlyList<EndPoint> ImplicitTlsEndpoints { get; }

    public static async Task<GatewayNode> StartAsync(GatewaySettings settings, Action<ILoggingBuilder>? logging = null)
    {
        var spool = new RocksDbSpool(settings.QueueDirectory);
        var files = new FileWorkers(settings.DeliveryConcurrency, "delivery");
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
        var ready = new TaskCompletionSource<BoundEndpoints>(TaskCreationOptions.RunContinuationsAsynchronously);
        IActorRef? queue = null;
        var configureLogging = logging ?? (l => l.AddSimpleConsole(o => o.SingleLine = true));
        TlsServerOptions tls;
        var generator = new DigestRandomGenerator(new Sha256Digest());
        var firstSeed = new TaskCompletionSource<SeedOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var insufficientEntropy = settings.DontBlameSendmail.Contains("InsufficientEntropy");
        var (map, stamp) = LoadAccessMap(settings);
        IActorRef? policy = null;
        IActorRef? entropy = null;
        var resolver = settings.Dns.ReverseLookup ? ClientResolver.For(settings.Dns) : null;
        using (var loggers = LoggerFactory.Create(l => configureLogging(l.SetMinimumLevel(LogLevels.FromSendmail(settings.LogLevel)))))
        {
            // SPEC R71: every TLS engine of the node draws from one generator that only the EntropyActor seeds.
            // No handshake can happen before the first seeding: the listener starts only after it (below).
            tls = TlsContextLoader.Load(settings, new PlatformTlsCrypto(new SecureRandom(generator)), TimeProvider.System, loggers.CreateLogger("Gateway.Tls"));
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevels.FromSendmail(settings.LogLevel));
        configureLogging(builder.Logging);
        builder.Services.AddAkka("gateway", (akka, _) =>
        {
            akka.ConfigureLoggers(l =>
                {
                    l.LogLevel = LogLevels.AkkaFromSendmail(settings.LogLevel);
                    l.ClearLoggers();
                    l.AddLoggerFactory();
                })
                // Akka.IO's channel cap must sit above ours, so ours is the one that answers 421.
                .AddHocon($"akka.io.tcp.max-channels = {settings.MaxConnections + 1024}", HoconAddMode.Prepend)
                .WithRemoting(settings.ClusterHostname, settings.ClusterPort)
                .WithClustering(new Akka.Cluster.Hosting.ClusterOptions { Roles = ["gateway"], SeedNodes = [.. settings.SeedNodes] })
                .WithActors((system, _) =>
                {
                    var delivery = new MaildirDelivery(settings.MaildirRoot, settings.Hostname, settings.LocalDomains.First(), files);
                    queue = system.ActorOf(QueueActor.Props(spool, delivery, settings.DeliveryConcurrency, settings.RetryDelay), "queue");
                    policy = system.ActorOf(PolicyActor.Props(map, settings.Access.MapFile ?? "(no Access:MapFile)", settings.Access.Policy), "policy");
                    var session = new SessionSettings(
                        settings.Hostname, settings.MaxMessageSize, settings.MaxRecipients, settings.MaxBadCommands, settings.LocalDomains, StartTlsOffered: true);
                    var source = EntropySources.For(settings.RandFile, insufficientEntropy, TimeProvider.System);
                    entropy = system.ActorOf(EntropyActor.Props(source, generator, settings.ReseedInterval, firstSeed), "entropy");
                    var startQueue = queue;
                    var entropyLog = system.Log;
                    firstSeed.Task.ContinueWith(
                        seeded =>
                        {
                            try
                            {
                                // R39/R74: an unseeded node does not offer STARTTLS; mail still flows in clear.
                                var outcome = seeded.Result;
                                if (!outcome.TlsOn)
                                {
                                    entropyLog.Error("STARTTLS disabled on this node: the random number generator could not be seeded from {0}", source.Description);
                                }

                                var connection = new ConnectionSettings(
                                    session with { StartTlsOffered = outcome.TlsOn }, settings.IdleTimeout, Product, outcome.TlsOn ? tls : null, settings.Tls.HandshakeTimeout, LogLevel: settings.LogLevel)
                                {
                                    // Without Access:MapFile the sessions keep their built-in rule (local domains only) and ask nothing.
                                    Policy = settings.Access.MapFile is null ? null : policy,
                                    Resolver = resolver,

                                    // The resolver keeps its own deadline; this one only guards against a resolver that never answers.
                                    ResolveTimeout = settings.Dns.Timeout + TimeSpan.FromSeconds(1),
                                };
                                if (!outcome.TlsOn && settings.ImplicitTlsListen.Count > 0)
                                {
                                    // An SMTPS port without TLS would greet in clear where clients expect a handshake (R18).
                                    entropyLog.Error("Smtp:ImplicitTlsListen not opened: TLS is off on this node");
                                }

                                var listen = new ListenerSettings(
                                    settings.Listen, settings.MaxConnections, settings.MaxConnectionsPerClient, outcome.TlsOn ? settings.ImplicitTlsListen : []);
                                system.ActorOf(SmtpListener.Props(listen, connection, spool, startQueue!, ready), "smtp-listener");
                            }
#pragma warning disable CA1031 // Whatever went wrong, start-up must fail with it rather than wait for ever.
                            catch (Exception e)
#pragma warning restore CA1031
                            {
                                ready.TrySetException(e);
                            }
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.None,
                        TaskScheduler.Default);
                    if (settings.SeedNodes.Count == 0)
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
            var endpoints = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            var watcher = settings.Access.MapFile is { } file
                ? new AccessMapWatcher(file, stamp!.Value, policy!, host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Access"), settings.DontBlameSendmail, AccessMapWatcher.DefaultInterval)
                : null;
            return new GatewayNode(host, spool, files, host.Services.GetRequiredService<ActorSystem>(), queue!, endpoints) { Policy = policy!, _watcher = watcher, _entropy = entropy!, StartTlsOffered = firstSeed.Task.Result.TlsOn };
        }
        catch
        {
            await host.StopAsync().ConfigureAwait(false);
            host.Dispose();
            throw;
        }
    }

    /// <summary>The generator's state for health checks (issue 6): source, ok/weak/failed, bytes seeded, last seeding.</summary>
    public Task<EntropyProtocol.EntropyStatus> EntropyStatusAsync(TimeSpan timeout) =>
        _entropy.Ask<EntropyProtocol.EntropyStatus>(EntropyProtocol.GetEntropyStatus.Instance, timeout);

    public Task WaitForShutdownAsync() => _host.WaitForShutdownAsync();

    /// <summary>The access map at start: a missing, unsafe or broken file stops start-up, naming the file and line.</summary>
    private static (AccessMap Map, AccessMapFile.Stamp? Stamp) LoadAccessMap(GatewaySettings settings)
    {
        if (settings.Access.MapFile is not { } file)
        {
            return (AccessMap.Empty, null);
        }

        try
        {
            var (map, stamp) = AccessMapFile.Load(file, settings.DontBlameSendmail);
            return (map, stamp);
        }
        catch (Exception e) when (e is AccessMapError or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationError("Access:MapFile", e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
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
