using System.Globalization;

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
    public string BareHost => new HostPort(Host, Port).BareHost;

    public static ProbeSwitches Parse(IReadOnlyList<string> args)
    {
        var parsed = ParsedSwitches.Parse(args, ValueSwitches, FlagSwitches, m => new ProbeUsageError(m));
        return parsed.Positional switch
        {
            [] => throw new ProbeUsageError("HOST:PORT is required"),
            [var target] => Build(target, parsed),
            [var target, var extra, ..] => throw new ProbeUsageError($"unexpected argument '{extra}' (HOST:PORT is '{target}')"),
        };
    }

    private static ProbeSwitches Build(string target, ParsedSwitches parsed)
    {
        var (startTls, tlsOnConnect) = (parsed.Flag("--starttls"), parsed.Flag("--tls-on-connect"));
        if (startTls && tlsOnConnect)
        {
            throw new ProbeUsageError("--starttls and --tls-on-connect exclude each other (STARTTLS runs inside a clear-text session)");
        }

        var (cert, key) = (parsed.Value("--cert"), parsed.Value("--key"));
        if ((cert is null) != (key is null))
        {
            throw new ProbeUsageError("--cert and --key go together");
        }

        var (host, port) = HostPort.Parse(target, tlsOnConnect ? 465 : 25, m => new ProbeUsageError(m));
        return new ProbeSwitches(
            host, port, startTls, tlsOnConnect, cert, key, parsed.Value("--cafile"),
            parsed.Value("--helo") ?? Environment.MachineName, Seconds(parsed.Value("--timeout")));
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
