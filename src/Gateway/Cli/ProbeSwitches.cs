using System.Globalization;
using System.Net;

namespace Gateway.Cli;

/// <summary>
/// The command line of <c>gateway probe</c>: <c>HOST:PORT</c> (or <c>[IPv6]:PORT</c>; without a port 25, or
/// 465 with <c>--tls-on-connect</c>) and switches as <c>--name value</c> or <c>--name=value</c>. Anything else
/// is a <see cref="ProbeUsageError"/> that names it.
/// </summary>
internal sealed record ProbeSwitches(
    string Host,
    int Port,
    bool StartTls,
    bool TlsOnConnect,
    string? CertFile,
    string? KeyFile,
    string? CaFile,
    string Helo,
    TimeSpan Timeout)
{
    private const int DefaultTimeoutSeconds = 30;

    private static readonly string[] ValueSwitches = ["--cert", "--key", "--cafile", "--helo", "--timeout"];
    private static readonly string[] FlagSwitches = ["--starttls", "--tls-on-connect"];

    /// <summary>The host without brackets, as the resolver and SNI need it.</summary>
    public string BareHost => Host.StartsWith('[') && Host.EndsWith(']') ? Host[1..^1] : Host;

    public static ProbeSwitches Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string? target = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (FlagSwitches.Contains(name))
            {
                flags.Add(inline is null ? name : throw new ProbeUsageError($"{name} takes no value"));
            }
            else if (ValueSwitches.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw new ProbeUsageError($"{name} needs a value"));
                values[name] = value.Length > 0 && !values.ContainsKey(name)
                    ? value
                    : throw new ProbeUsageError(value.Length == 0 ? $"{name} needs a non-empty value" : $"{name} given more than once");
            }
            else if (name.StartsWith('-'))
            {
                throw new ProbeUsageError($"unknown switch {name}");
            }
            else
            {
                target = target is null ? name : throw new ProbeUsageError($"unexpected argument '{name}' (HOST:PORT is '{target}')");
            }
        }

        return Build(target ?? throw new ProbeUsageError("HOST:PORT is required"), values, flags);
    }

    private static ProbeSwitches Build(string target, Dictionary<string, string> values, HashSet<string> flags)
    {
        var (startTls, tlsOnConnect) = (flags.Contains("--starttls"), flags.Contains("--tls-on-connect"));
        if (startTls && tlsOnConnect)
        {
            throw new ProbeUsageError("--starttls and --tls-on-connect exclude each other (STARTTLS runs inside a clear-text session)");
        }

        var (cert, key) = (values.GetValueOrDefault("--cert"), values.GetValueOrDefault("--key"));
        if ((cert is null) != (key is null))
        {
            throw new ProbeUsageError("--cert and --key go together");
        }

        var (host, port) = Target(target, tlsOnConnect ? 465 : 25);
        return new ProbeSwitches(
            host, port, startTls, tlsOnConnect, cert, key, values.GetValueOrDefault("--cafile"),
            values.GetValueOrDefault("--helo") ?? Environment.MachineName, Seconds(values.GetValueOrDefault("--timeout")));
    }

    /// <summary><c>host</c>, <c>host:port</c>, <c>[address]:port</c>; a bare IPv6 address (several colons) has no port.</summary>
    private static (string Host, int Port) Target(string target, int defaultPort)
    {
        string host;
        string? port = null;
        if (target.StartsWith('['))
        {
            var close = target.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < target.Length && target[close + 1] != ':'))
            {
                throw new ProbeUsageError($"'{target}' is not HOST:PORT or [ADDRESS]:PORT");
            }

            host = target[..(close + 1)];
            port = close + 1 < target.Length ? target[(close + 2)..] : null;
        }
        else if (target.Count(c => c == ':') == 1)
        {
            (host, port) = (target[..target.IndexOf(':', StringComparison.Ordinal)], target[(target.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        }
        else
        {
            host = target.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(target, out _) ? $"[{target}]" : target;
        }

        if (host.Length == 0 || host == "[]")
        {
            throw new ProbeUsageError($"'{target}' names no host");
        }

        return port is null ? (host, defaultPort)
            : int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535 ? (host, number)
            : throw new ProbeUsageError($"'{port}' is not a port number (1-65535)");
    }

    private static TimeSpan Seconds(string? text)
    {
        if (text is null)
        {
            return TimeSpan.FromSeconds(DefaultTimeoutSeconds);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new ProbeUsageError($"--timeout must be a whole number of seconds from 1 to 3600, not '{text}'");
    }
}
