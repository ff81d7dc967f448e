using System.CommandLine;
using System.Globalization;
using System.Net;
using Gateway.Cli;

namespace Gateway.Load;

/// <summary>
/// The command line of <c>gateway load</c> into a <see cref="LoadPlan"/>, its switches declared once for the parser
/// and the generated help. Every number has a range, and every refusal names the switch: a load run that silently
/// did something else than asked measures nothing.
/// </summary>
internal sealed class LoadSwitches
{
    /// <summary>Without -n or --duration a run sends this many messages: a smoke test, never an endless one.</summary>
    public const long DefaultMessages = 1_000;

    public const string Description = "Simulated SMTP clients with latency percentiles, plain or STARTTLS, against any SMTP server.";

    public const string Notes = """
        One actor per simulated client, one connection at a time: connect, EHLO, [STARTTLS, EHLO,] then K times
        MAIL, RCPT, DATA and the message, then QUIT. With --hold, idle sessions instead of mail.
        Ctrl-C (or SIGTERM) stops giving out messages, lets open sessions finish for up to 5 s and prints the
        partial report.
        Exit 0 when every message was accepted, 1 if some failed, 2 on the hard timeout, 130 on Ctrl-C or SIGTERM,
        64 for usage errors, 69 if the target cannot be resolved, 78 for an unusable certificate, key or CA file.
        """;

    /// <summary>Hard limit for runs bounded by a message count; a duration-bounded run gets warm-up + duration + 60 s.</summary>
    public static readonly TimeSpan DefaultCountTimeout = TimeSpan.FromMinutes(10);

    /// <summary>A --hold run without --duration holds until Ctrl-C, but never longer than this.</summary>
    public static readonly TimeSpan DefaultHoldTimeout = TimeSpan.FromHours(1);

    /// <summary>A --hold run with --duration gets this long to open its sessions, on top of the duration.</summary>
    private static readonly TimeSpan HoldOpening = TimeSpan.FromMinutes(10);

    private readonly Argument<string?> _positional = new("HOST:PORT")
    {
        Arity = ArgumentArity.ZeroOrOne,
        Description = "the server to load, as with --target",
    };

    private readonly Option<string?> _target = Switches.Text(
        "--target", "HOST:PORT", "the server to load: a name, an IPv4 address or [IPv6], and the port (default 25)");

    private readonly Option<long?> _concurrency = Switches.Value<long?>(
        "--concurrency", "CLIENTS", "simulated clients (default 10)", (text, name) => Whole(text, name, 1, 100_000), "-c");

    private readonly Option<long?> _messages = Switches.Value<long?>(
        "--messages",
        "MESSAGES",
        $"measured messages to send (default {DefaultMessages} unless --duration is given; warm-up not counted)",
        (text, name) => Whole(text, name, 1, 1_000_000_000),
        "-n");

    private readonly Option<TimeSpan?> _duration = Switches.Value<TimeSpan?>(
        "--duration", "SECONDS", "seconds of measurement; with -n too, whichever comes first", (text, name) => Seconds(text, name, 3600 * 24));

    private readonly Option<long?> _size = Switches.Value<long?>(
        "--size", "BYTES", "bytes per message, headers included (default 2048; k and m suffixes allowed)", Bytes);

    private readonly Option<long?> _perConnection = Switches.Value<long?>(
        "--per-connection", "K", "messages per connection before QUIT (default 1)", (text, name) => Whole(text, name, 1, 100_000));

    private readonly Option<bool> _startTls = Switches.Flag(
        "--starttls", "upgrade every session with STARTTLS (BouncyCastle's client engine, TLS 1.3 or 1.2)");

    private readonly Option<string?> _cert = Switches.Text("--cert", "FILE", "client certificate (PEM) for servers that ask; with --key");
    private readonly Option<string?> _key = Switches.Text("--key", "FILE", "the client certificate's key (PEM); no group or world access to it");

    private readonly Option<string?> _caFile = Switches.Text(
        "--cafile", "FILE", "CA certificates (PEM) to judge the server's certificate; the report counts {verify} values");

    private readonly Option<double?> _rate = Switches.Value<double?>(
        "--rate", "MSGS_PER_S", "messages per second over all clients; latency then counts from each message's scheduled time", Rate);

    private readonly Option<string?> _from = Switches.Value<string?>(
        "--from", "ADDR", "envelope sender (default load@load.test; '<>' is the null sender)", (text, name) => Mailbox(text, name, allowNull: true));

    private readonly Option<string?> _to = Switches.Value<string?>(
        "--to", "ADDR", "envelope recipient (default load@localhost)", (text, name) => Mailbox(text, name, allowNull: false));

    private readonly Option<string?> _helo = Switches.Text("--helo", "NAME", "the EHLO name (default load.test)");

    private readonly Option<IReadOnlyList<IPAddress>?> _sourceAddresses = Switches.Value<IReadOnlyList<IPAddress>?>(
        "--source-addresses", "LIST", "addresses to connect from, spread over the clients: 127.0.0.2-127.0.0.50,127.1.0.1", (text, _) => SourceAddresses.Parse(text));

    private readonly Option<TimeSpan?> _warmup = Switches.Value<TimeSpan?>(
        "--warmup", "SECONDS", "seconds of load before measuring starts; nothing from it is counted", (text, name) => Seconds(text, name, 3600, allowZero: true));

    private readonly Option<bool> _hold = Switches.Flag(
        "--hold",
        "open one session per client (EHLO, with --starttls the handshake and EHLO again), send no mail, print \"holding N sessions ...\" "
        + "once all are open, hold them idle for --duration seconds (default: until Ctrl-C), then QUIT: what idle sessions cost a server");

    private readonly Option<string?> _json = Switches.Text("--json", "FILE", "also write the report to FILE as JSON");

    private readonly Option<TimeSpan?> _timeout = Switches.Value<TimeSpan?>(
        "--timeout",
        "SECONDS",
        "hard limit on the whole run (default: warm-up + duration + 60 s, or 600 s with -n; with --hold, duration + 600 s, or 1 h)",
        (text, name) => Seconds(text, name, 3600 * 24 * 7));

    private readonly Option<TimeSpan?> _replyTimeout = Switches.Value<TimeSpan?>(
        "--reply-timeout", "SECONDS", "seconds to wait for the connection, every reply and the TLS handshake (default 60)", (text, name) => Seconds(text, name, 3600));

    public LoadSwitches()
    {
        Command = new Command("load", Description)
        {
            _positional, _target, _concurrency, _messages, _duration, _size, _perConnection, _startTls, _cert, _key, _caFile, _rate,
            _from, _to, _helo, _sourceAddresses, _warmup, _hold, _json, _timeout, _replyTimeout,
        };
    }

    public Command Command { get; }

    /// <summary>These shape the mail a run sends; --hold sends none.</summary>
    private Option[] MailSwitches => [_messages, _size, _perConnection, _rate, _from, _to, _warmup];

    public static LoadPlan Parse(IReadOnlyList<string> args)
    {
        var switches = new LoadSwitches();
        return switches.Plan(Switches.Parse(switches.Command, args));
    }

    /// <summary>The run to make; switches that contradict each other are a <see cref="UsageError"/>.</summary>
    public LoadPlan Plan(ParseResult parsed)
    {
        var target = (parsed.GetValue(_target), parsed.GetValue(_positional)) switch
        {
            (null, null) => throw new UsageError("--target HOST:PORT is required"),
            ({ }, { } extra) => throw new UsageError($"unexpected argument '{extra}' (the target is given with --target)"),
            var (named, positional) => named ?? positional!,
        };

        var hold = parsed.GetValue(_hold);
        if (hold && MailSwitches.Select(parsed.GetResult).FirstOrDefault(r => r is not null) is { } mailSwitch)
        {
            throw new UsageError($"--hold sends no mail: {mailSwitch.IdentifierToken?.Value} does not apply");
        }

        var messages = parsed.GetValue(_messages);
        var duration = parsed.GetValue(_duration);
        var warmup = parsed.GetValue(_warmup) ?? TimeSpan.Zero;
        if (messages is null && duration is null && !hold)
        {
            messages = DefaultMessages;
        }

        var startTls = parsed.GetValue(_startTls);
        var (cert, key, caFile) = (parsed.GetValue(_cert), parsed.GetValue(_key), parsed.GetValue(_caFile));
        if ((cert is null) != (key is null))
        {
            throw new UsageError("--cert and --key go together");
        }

        if (!startTls && (cert is not null || caFile is not null))
        {
            throw new UsageError("--cert, --key and --cafile need --starttls");
        }

        var timeout = parsed.GetValue(_timeout)
            ?? (hold ? (duration is { } held ? held + HoldOpening : DefaultHoldTimeout)
            : duration is { } span ? warmup + span + TimeSpan.FromSeconds(60)
            : DefaultCountTimeout);

        return new LoadPlan
        {
            Target = HostPort.Parse(target, 25),
            Concurrency = (int)(parsed.GetValue(_concurrency) ?? 10),
            Messages = messages,
            Duration = duration,
            Size = (int)(parsed.GetValue(_size) ?? 2048),
            PerConnection = (int)(parsed.GetValue(_perConnection) ?? 1),
            StartTls = startTls,
            Hold = hold,
            CertFile = cert,
            KeyFile = key,
            CaFile = caFile,
            Rate = parsed.GetValue(_rate),
            From = parsed.GetValue(_from) ?? "load@load.test",
            To = parsed.GetValue(_to) ?? "load@localhost",
            Helo = parsed.GetValue(_helo) ?? "load.test",
            SourceAddresses = parsed.GetValue(_sourceAddresses) ?? [],
            Warmup = warmup,
            Timeout = timeout,
            ReplyTimeout = parsed.GetValue(_replyTimeout) ?? TimeSpan.FromSeconds(60),
            JsonFile = parsed.GetValue(_json),
        };
    }

    private static long? Whole(string text, string name, long min, long max) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new UsageError(Invariant($"{name} must be a whole number from {min} to {max}, not '{text}'"));

    private static TimeSpan? Seconds(string text, string name, int max, bool allowZero = false) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) && (s >= 0.001 || (allowZero && s == 0)) && s <= max
            ? TimeSpan.FromSeconds(s)
            : throw new UsageError(Invariant($"{name} must be a number of seconds from {(allowZero ? "0" : "0.001")} to {max}, not '{text}'"));

    private static double? Rate(string text, string name) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate is > 0 and <= 1_000_000
            ? rate
            : throw new UsageError($"{name} must be messages per second, more than 0 and at most 1000000, not '{text}'");

    /// <summary>Bytes, or with a k/m suffix (1024-based, as message size limits are written).</summary>
    private static long? Bytes(string text, string name)
    {
        var (digits, unit) = text.ToLowerInvariant() switch
        {
            var t when t.EndsWith('k') => (t[..^1], 1024L),
            var t when t.EndsWith('m') => (t[..^1], 1024L * 1024),
            var t => (t, 1L),
        };
        const long max = 256L * 1024 * 1024;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max / unit
            ? n * unit
            : throw new UsageError($"{name} must be bytes (or with k or m) up to 256m, not '{text}'");
    }

    /// <summary>The address as it goes between the angle brackets of MAIL FROM or RCPT TO; an empty --from is the null sender.</summary>
    private static string Mailbox(string text, string name, bool allowNull)
    {
        var address = text.StartsWith('<') && text.EndsWith('>') ? text[1..^1] : text;
        if (address.Length == 0 && allowNull)
        {
            return address;
        }

        return address.Length is > 0 and <= Protocol.Limits.Path - 2 && !address.Any(c => char.IsControl(c) || c is ' ' or '<' or '>')
            ? address
            : throw new UsageError($"{name} '{text}' is not a mailbox (local@domain, without spaces or brackets)");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
