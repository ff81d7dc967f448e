using Akka.Actor;
using Gateway.Actors.Metrics;
using Gateway.Protocol;
using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;
using static Gateway.Actors.Policy.PolicyProtocol;

namespace Gateway.Actors.Policy;

/// <summary>
/// The node's access-map policy: owns the current map snapshot and a bounded LRU cache of answers, and answers
/// every <see cref="CheckPolicy"/> with a <see cref="PolicyVerdict"/>. The decisions themselves are the pure
/// <see cref="AccessPolicy"/> functions; this actor adds the snapshot swap (a reload replaces the map whole and
/// empties the cache, so no answer mixes two maps) and the cache. It never reads files: the map arrives as
/// <see cref="ReplaceMap"/> from the watcher.
/// </summary>
public sealed class PolicyActor : UntypedActor
{
    /// <summary>Default cache size: a busy node sees far fewer distinct clients, senders and recipients per reload.</summary>
    public const int DefaultCacheSize = 100_000;

    private readonly AccessPolicySettings _settings;
    private readonly LruCache<CacheKey, object> _cache;
    private AccessMap _map;
    private string _source;
    private long _hits;
    private long _misses;
    private long _reloads;
    private string? _lastReloadError;

    public PolicyActor(AccessMap map, string source, AccessPolicySettings settings, int cacheSize = DefaultCacheSize)
    {
        _map = map;
        _source = source;
        _settings = settings;
        _cache = new LruCache<CacheKey, object>(cacheSize);
    }

    public static Props Props(AccessMap map, string source, AccessPolicySettings settings, int cacheSize = DefaultCacheSize) =>
        Akka.Actor.Props.Create(() => new PolicyActor(map, source, settings, cacheSize));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case CheckPolicy check:
                var answer = Answer(check.Question);
                GatewayMetrics.Verdict(CheckName(check.Question), VerdictName(answer.Verdict.Kind));
                Sender.Tell(new PolicyVerdict(check.Id, answer));
                break;
            case ReplaceMap replace:
                (_map, _source) = (replace.Map, replace.Source);
                _cache.Clear();
                _reloads++;
                _lastReloadError = null;
                break;
            case MapReloadFailed failed:
                _lastReloadError = failed.Reason;
                break;
            case GetPolicyStatus:
                Sender.Tell(new PolicyStatus(_source, _map.Count, _cache.Count, _hits, _misses, _reloads, _lastReloadError));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private PolicyAnswer Answer(PolicyQuestion question) => question switch
    {
        PolicyQuestion.Connect c => Cached(new CacheKey('C', c.ClientName, c.ClientAddr), () => AccessPolicy.Connect(_map, c.ClientName, c.ClientAddr)),
        PolicyQuestion.SrvFeatures f => Cached(new CacheKey('F', f.ClientName, f.ClientAddr), () => AccessPolicy.SrvFeatures(_map, f.ClientName, f.ClientAddr)),

        // The lookup is cached; the evaluation depends on this session's TLS facts and is cheap.
        PolicyQuestion.TlsClient t => AccessPolicy.TlsClient(
            CachedLookup(new CacheKey('T', t.ClientName, t.ClientAddr), () => LookupResult.In(_map, LookupOrder.Host("TLS_Clt", t.ClientName, t.ClientAddr))),
            _map,
            _settings,
            t.Input,
            t.When),
        PolicyQuestion.From m => Cached(new CacheKey('M', m.Sender), () => AccessPolicy.Mail(_map, m.Sender)),
        PolicyQuestion.To r => Cached(
            new CacheKey('R', r.Recipient, r.Verify, r.CertIssuer, r.CertSubject, (r.Local ? 1 : 0) | (r.ClientMayRelay ? 2 : 0)),
            () => AccessPolicy.Rcpt(_map, _settings, r.Recipient, r.Local, r.ClientMayRelay, r.Verify, r.CertIssuer, r.CertSubject)),

        // Client role (R20, R24, R26). R28: the actor keeps nothing of a connection; only map lookups are cached, and
        // tls_server/tls_rcpt are evaluated afresh against the TLS facts each question carries.
        PolicyQuestion.TryTls y => Cached(new CacheKey('Y', y.ServerName, y.ServerAddr), () => AccessPolicy.TryTls(_map, y.ServerName, y.ServerAddr)),

        // Clt_Features has no address step (R55), so one entry per server name.
        PolicyQuestion.CltFeatures k => Cached(new CacheKey('K', k.ServerName), () => AccessPolicy.CltFeatures(_map, k.ServerName)),
        PolicyQuestion.TlsServer s => AccessPolicy.TlsServer(
            CachedLookup(new CacheKey('S', s.ServerName, s.ServerAddr), () => AccessPolicy.TlsServerLookup(_map, s.ServerName, s.ServerAddr)),
            _map,
            _settings,
            s.Input,
            s.ServerName),
        PolicyQuestion.TlsRcpt p => AccessPolicy.TlsRcpt(
            CachedLookup(new CacheKey('P', p.Recipient), () => AccessPolicy.TlsRcptLookup(_map, p.Recipient)),
            _map,
            _settings,
            p.Input),
        _ => throw new ArgumentOutOfRangeException(nameof(question), question.GetType().Name, "unknown policy question"),
    };

    private PolicyAnswer Cached(CacheKey key, Func<PolicyAnswer> compute) => (PolicyAnswer)Remember(key, compute);

    private LookupResult CachedLookup(CacheKey key, Func<LookupResult> compute) => (LookupResult)Remember(key, compute);

    private object Remember(CacheKey key, Func<object> compute)
    {
        if (_cache.TryGet(key, out var known))
        {
            _hits++;
            GatewayMetrics.CacheHit();
            return known;
        }

        _misses++;
        GatewayMetrics.CacheMiss();
        var value = compute();
        _cache.Add(key, value);
        return value;
    }

    /// <summary>The <c>check</c> tag: sendmail's ruleset of the question.</summary>
    private static string CheckName(PolicyQuestion question) => question switch
    {
        PolicyQuestion.Connect => "connect",
        PolicyQuestion.SrvFeatures => "srv_features",
        PolicyQuestion.TlsClient => "tls_client",
        PolicyQuestion.From => "mail",
        PolicyQuestion.To => "rcpt",
        PolicyQuestion.TryTls => "try_tls",
        PolicyQuestion.CltFeatures => "clt_features",
        PolicyQuestion.TlsServer => "tls_server",
        PolicyQuestion.TlsRcpt => "tls_rcpt",
        _ => "other",
    };

    private static string VerdictName(VerdictKind kind) => kind switch
    {
        VerdictKind.Continue => "continue",
        VerdictKind.Ok => "ok",
        VerdictKind.Relay => "relay",
        VerdictKind.Reject => "reject",
        VerdictKind.Discard => "discard",
        _ => "other",
    };

    /// <summary>The hook and its inputs; every field that changes an answer is part of the key.</summary>
    private readonly record struct CacheKey(char Hook, string A, string B = "", string C = "", string D = "", int Flags = 0);
}
