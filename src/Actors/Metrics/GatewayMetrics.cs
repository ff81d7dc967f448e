using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Protocol.Commands;

namespace Gateway.Actors.Metrics;

/// <summary>
/// Every instrument the actors record, in one place, on the "Gateway" meter (System.Diagnostics.Metrics: the exporter
/// is the host's choice, Prometheus today). Names are OpenTelemetry's dotted ones; the Prometheus exporter turns
/// <c>gateway.sessions</c> into <c>gateway_sessions_total</c> and a unit of "s" into <c>_seconds</c>.
/// </summary>
/// <remarks>
/// Static, like the BCL's own meters: a connection records with one <c>Counter.Add</c> and no lookup, and the actors
/// need no new constructor argument. The cost is that several nodes in one process (the tests) share the counts; a
/// deployed node is one process. Tags are few and bounded (listener kind, TLS version and cipher, verb, reply class):
/// never a client address or name, which would make one series per client.
/// </remarks>
public static class GatewayMetrics
{
    public const string MeterName = "Gateway";

    /// <summary>Listener kinds, the <c>listener</c> tag.</summary>
    public const string Smtp = "smtp";

    public const string ImplicitTls = "implicit-tls";

    public const string Proxy = "proxy";

    private static readonly Meter Meter = new(MeterName, "0.1");

    private static readonly Counter<long> Sessions = Meter.CreateCounter<long>(
        "gateway.sessions", "{session}", "SMTP sessions accepted, by listener kind");

    private static readonly UpDownCounter<long> SessionsOpen = Meter.CreateUpDownCounter<long>(
        "gateway.sessions.open", "{session}", "SMTP sessions open now, by listener kind");

    private static readonly Counter<long> Handshakes = Meter.CreateCounter<long>(
        "gateway.tls.handshakes", "{handshake}", "Server TLS handshakes (STARTTLS and TLS on connect) by outcome, version and cipher");

    private static readonly Counter<long> Verifications = Meter.CreateCounter<long>(
        "gateway.tls.verify", "{handshake}", "The {verify} result of each completed server handshake (SPEC R40)");

    private static readonly Counter<long> Resumptions = Meter.CreateCounter<long>(
        "gateway.tls.resumed", "{handshake}", "Server handshakes that resumed a TLS 1.2 session instead of a full handshake, by how it was found (ticket or session_id)");

    private static readonly Counter<long> RelayHandshakes = Meter.CreateCounter<long>(
        "gateway.relay.tls.handshakes", "{handshake}", "Client TLS handshakes with next hops (STARTTLS when relaying) by outcome, version and cipher");

    private static readonly Counter<long> RelayVerifications = Meter.CreateCounter<long>(
        "gateway.relay.tls.verify", "{handshake}", "The {verify} of each completed client handshake: how next hops' certificates check out (SPEC R23)");

    private static readonly Counter<long> Commands = Meter.CreateCounter<long>(
        "gateway.commands", "{command}", "SMTP commands received, by verb");

    private static readonly Counter<long> Replies = Meter.CreateCounter<long>(
        "gateway.replies", "{reply}", "Replies to SMTP commands, by verb and code class (2xx, 3xx, 4xx, 5xx)");

    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>(
        "gateway.messages.accepted", "{message}", "Messages committed to the spool and answered 250");

    private static readonly Counter<long> Refused = Meter.CreateCounter<long>(
        "gateway.messages.refused", "{message}", "Message bodies refused after DATA or BDAT, by reply code");

    private static readonly Histogram<double> Commit = Meter.CreateHistogram(
        "gateway.spool.commit.duration",
        "s",
        "From the end of the body to the spool's synced commit (the wait before the 250)",
        advice: new InstrumentAdvice<double>
        {
            // A group commit syncs in about a millisecond on an SSD and tens of milliseconds on a busy disk.
            HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        });

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "gateway.deliveries", "{recipient}", "Delivery attempts per recipient, by outcome (delivered, deferred, failed)");

    private static readonly Counter<long> Verdicts = Meter.CreateCounter<long>(
        "gateway.policy.verdicts", "{verdict}", "Access-map answers, by check and verdict");

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "gateway.policy.cache.lookups", "{lookup}", "The policy cache, by result (hit, miss)");

    public static void SessionOpened(string listener)
    {
        var tag = new KeyValuePair<string, object?>("listener", listener);
        Sessions.Add(1, tag);
        SessionsOpen.Add(1, tag);
    }

    public static void SessionClosed(string listener) => SessionsOpen.Add(-1, new KeyValuePair<string, object?>("listener", listener));

    public static void HandshakeSucceeded(string version, string cipher, string verify)
    {
        Handshakes.Add(1, new("outcome", "ok"), new("version", version), new("cipher", cipher));
        Verifications.Add(1, new KeyValuePair<string, object?>("verify", verify));
    }

    /// <summary>A completed handshake that resumed a session: <paramref name="by"/> is ticket or session_id.</summary>
    public static void SessionResumed(string by) => Resumptions.Add(1, new KeyValuePair<string, object?>("by", by));

    /// <summary><paramref name="outcome"/>: failed, timeout or aborted (the client closed mid-handshake); no version or cipher was agreed.</summary>
    public static void HandshakeFailed(string outcome) =>
        Handshakes.Add(1, new("outcome", outcome), new("version", ""), new("cipher", ""));

    public static void RelayHandshakeSucceeded(string version, string cipher, string verify)
    {
        RelayHandshakes.Add(1, new("outcome", "ok"), new("version", version), new("cipher", cipher));
        RelayVerifications.Add(1, new KeyValuePair<string, object?>("verify", verify));
    }

    /// <summary><paramref name="outcome"/>: failed or timeout.</summary>
    public static void RelayHandshakeFailed(string outcome) =>
        RelayHandshakes.Add(1, new("outcome", outcome), new("version", ""), new("cipher", ""));

    /// <summary>One command and its reply (none: a BDAT chunk's reply comes after its data); null: a line too long to parse.</summary>
    public static void Command(SmtpCommand? command, int? replyCode)
    {
        var verb = VerbOf(command);
        Commands.Add(1, new KeyValuePair<string, object?>("verb", verb));
        if (replyCode is { } code)
        {
            Replies.Add(1, new("verb", verb), new("class", ClassOf(code)));
        }
    }

    /// <summary>A reply to no command of its own: the 250 or 4xx after a commit, a refused body.</summary>
    public static void Reply(string verb, int code) =>
        Replies.Add(1, new("verb", verb), new("class", ClassOf(code)));

    public static void MessageAccepted() => Accepted.Add(1);

    public static void MessageRefused(int code) => Refused.Add(1, new KeyValuePair<string, object?>("code", CodeText(code)));

    /// <summary><paramref name="started"/> is a <see cref="Stopwatch.GetTimestamp"/> reading.</summary>
    public static void CommitTook(long started) => Commit.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

    public static void Delivery(string outcome, int recipients) => Deliveries.Add(recipients, new KeyValuePair<string, object?>("outcome", outcome));

    public static void Verdict(string check, string verdict) => Verdicts.Add(1, new("check", check), new("verdict", verdict));

    public static void CacheHit() => CacheLookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));

    public static void CacheMiss() => CacheLookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));

    /// <summary>The verb as a constant: an unknown one is "unknown", never the client's text (one series per typo).</summary>
    private static string VerbOf(SmtpCommand? command) => command switch
    {
        SmtpCommand.Helo => "HELO",
        SmtpCommand.Ehlo => "EHLO",
        SmtpCommand.Mail => "MAIL",
        SmtpCommand.Rcpt => "RCPT",
        SmtpCommand.Data => "DATA",
        SmtpCommand.Bdat => "BDAT",
        SmtpCommand.Rset => "RSET",
        SmtpCommand.Noop => "NOOP",
        SmtpCommand.Quit => "QUIT",
        SmtpCommand.Vrfy => "VRFY",
        SmtpCommand.Help => "HELP",
        SmtpCommand.StartTls => "STARTTLS",
        null => "bad",
        _ => "unknown",
    };

    // Interned strings, so a reply records without formatting its code.
    private static string ClassOf(int code) => code switch
    {
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };

    private static string CodeText(int code) => code switch
    {
        421 => "421",
        450 => "450",
        451 => "451",
        452 => "452",
        550 => "550",
        552 => "552",
        554 => "554",
        _ => ClassOf(code),
    };
}
