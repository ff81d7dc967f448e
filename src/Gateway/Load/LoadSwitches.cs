using System.Globalization;
using Gateway.Cli;

namespace Gateway.Load;

/// <summary>
/// The command line of <c>gateway load</c> into a <see cref="LoadPlan"/>. Every number has a range, and every
/// refusal names the switch: a load run that silently did something else than asked measures nothing.
/// </summary>
internal static class LoadSwitches
{
    /// <summary>Without -n or --duration a run sends this many messages: a smoke test, never an endless one.</summary>
    public const long DefaultMessages = 1_000;

    /// <summary>Hard limit for runs bounded by a message count; a duration-bounded run gets warm-up + duration + 60 s.</summary>
    public static readonly TimeSpan DefaultCountTimeout = TimeSpan.FromMinutes(10);

    private static readonly string[] ValueSwitches =
    [
        "--target", "-c", "--concurrency", "-n", "--messages", "--duration", "--size", "--per-connection", "--cert", "--key",
        "--cafile", "--rate", "--from", "--to", "--helo", "--source-addresses", "--warmup", "--json", "--timeout", "--reply-timeout",
    ];

    private static readonly string[] FlagSwitches = ["--starttls", "--hold"];

    /// <summary>These shape the mail a run sends; --hold sends none.</summary>
    private static readonly string[] MailSwitches = ["-n", "--messages", "--size", "--per-connection", "--rate", "--from", "--to", "--warmup"];

    /// <summary>A --hold run without --duration holds until Ctrl-C, but never longer than this.</summary>
    public static readonly TimeSpan DefaultHoldTimeout = TimeSpan.FromHours(1);

    /// <summary>A --hold run with --duration gets this long to open its sessions, on top of the duration.</summary>
    private static readonly TimeSpan HoldOpening = TimeSpan.FromMinutes(10);

    public static LoadPlan Parse(IReadOnlyList<string> args)
    {
        var parsed = ParsedSwitches.Parse(args, ValueSwitches, FlagSwitches, m => new LoadUsageError(m));
        var target = (parsed.Value("--target"), parsed.Positional) switch
        {
            (null, []) => throw new LoadUsageError("--target HOST:PORT is required"),
            (null, [var only]) => only,
            ({ } named, []) => named,
            (_, [var extra, ..]) => throw new LoadUsageError($"unexpected argument '{extra}'"),
        };

        var hold = parsed.Flag("--hold");
        if (hold && MailSwitches.FirstOrDefault(s => parsed.Value(s) is not null) is { } mailSwitch)
        {
            throw new LoadUsageError($"--hold sends no mail: {mailSwitch} does not apply");
        }

        var messages = Alias(parsed, "-n", "--messages") is { } n ? Whole(n, "-n", 1, 1_000_000_000) : (long?)null;
        var duration = parsed.Value("--duration") is { } d ? Seconds(d, "--duration", 3600 * 24) : (TimeSpan?)null;
        var warmup = parsed.Value("--warmup") is { } w ? Seconds(w, "--warmup", 3600, allowZero: true) : TimeSpan.Zero;
        if (messages is null && duration is null && !hold)
        {
            messages = DefaultMessages;
        }

        var startTls = parsed.Flag("--starttls");
        var (cert, key) = (parsed.Value("--cert"), parsed.Value("--key"));
        if ((cert is null) != (key is null))
        {
            throw new LoadUsageError("--cert and --key go together");
        }

        if (!startTls && (cert is not null || parsed.Value("--cafile") is not null))
        {
            throw new LoadUsageError("--cert, --key and --cafile need --starttls");
        }

        var timeout = parsed.Value("--timeout") is { } t ? Seconds(t, "--timeout", 3600 * 24 * 7)
            : hold ? (duration is { } held ? held + HoldOpening : DefaultHoldTimeout)
            : duration is { } span ? warmup + span + TimeSpan.FromSeconds(60)
            : DefaultCountTimeout;

        return new LoadPlan
        {
            Target = HostPort.Parse(target, 25, m => new LoadUsageError(m)),
            Concurrency = (int)(Alias(parsed, "-c", "--concurrency") is { } c ? Whole(c, "-c", 1, 100_000) : 10),
            Messages = messages,
            Duration = duration,
            Size = (int)(parsed.Value("--size") is { } size ? Bytes(size) : 2048),
            PerConnection = (int)(parsed.Value("--per-connection") is { } k ? Whole(k, "--per-connection", 1, 100_000) : 1),
            StartTls = startTls,
            Hold = hold,
            CertFile = cert,
            KeyFile = key,
            CaFile = parsed.Value("--cafile"),
            Rate = parsed.Value("--rate") is { } rate ? Rate(rate) : null,
            From = parsed.Value("--from") is { } from ? Mailbox(from, "--from", allowNull: true) : "load@load.test",
            To = parsed.Value("--to") is { } to ? Mailbox(to, "--to", allowNull: false) : "load@localhost",
            Helo = parsed.Value("--helo") ?? "load.test",
            SourceAddresses = parsed.Value("--source-addresses") is { } sources ? SourceAddresses.Parse(sources) : [],
            Warmup = warmup,
            Timeout = timeout,
            ReplyTimeout = parsed.Value("--reply-timeout") is { } r ? Seconds(r, "--reply-timeout", 3600) : TimeSpan.FromSeconds(60),
            JsonFile = parsed.Value("--json"),
        };
    }

    private static string? Alias(ParsedSwitches parsed, string shortName, string longName) =>
        (parsed.Value(shortName), parsed.Value(longName)) switch
        {
            ({ } _, { } _) => throw new LoadUsageError($"{shortName} and {longName} are the same switch; give one"),
            var (s, l) => s ?? l,
        };

    private static long Whole(string text, string name, long min, long max) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new LoadUsageError(Invariant($"{name} must be a whole number from {min} to {max}, not '{text}'"));

    private static TimeSpan Seconds(string text, string name, int max, bool allowZero = false) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) && (s >= 0.001 || (allowZero && s == 0)) && s <= max
            ? TimeSpan.FromSeconds(s)
            : throw new LoadUsageError(Invariant($"{name} must be a number of seconds from {(allowZero ? "0" : "0.001")} to {max}, not '{text}'"));

    private static double Rate(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate is > 0 and <= 1_000_000
            ? rate
            : throw new LoadUsageError($"--rate must be messages per second, more than 0 and at most 1000000, not '{text}'");

    /// <summary>Bytes, or with a k/m suffix (1024-based, as message size limits are written).</summary>
    private static long Bytes(string text)
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
            : throw new LoadUsageError($"--size must be bytes (or with k or m) up to 256m, not '{text}'");
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
            : throw new LoadUsageError($"{name} '{text}' is not a mailbox (local@domain, without spaces or brackets)");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
