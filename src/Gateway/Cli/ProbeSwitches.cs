using System.CommandLine;
using System.Globalization;

namespace Gateway.Cli;

/// <summary>
/// The command line of <c>gateway probe</c>: <c>HOST[:PORT]</c> (or <c>[IPv6]:PORT</c>; without a port 25, or 465 with
/// <c>--tls-on-connect</c>) and its switches, declared once for the parser and the generated help.
/// </summary>
internal sealed class ProbeSwitches
{
    public const string Description = "Debug STARTTLS by hand: EHLO, STARTTLS, then the session's TLS facts as sendmail macros.";

    public const string Notes = """
        Connects to HOST, prints every server line as "<- ", every client line as "-> " and remarks as "===",
        then the session's TLS facts as sendmail macros ({tls_version}, {cipher}, {verify}, {cert_subject}, ...
        {server_name}, {server_addr}).
        Exit 0 when the dialog ran to the end (whatever {verify} says), 69 if the connection or the TLS handshake
        failed, 64 for usage errors, 78 for an unusable certificate, key or CA file.
        """;

    private const int DefaultTimeoutSeconds = 30;

    private readonly Argument<string> _target = new("HOST[:PORT]")
    {
        Description = "the server: a name, an IPv4 address or [IPv6]; PORT 25, or 465 with --tls-on-connect",
    };

    private readonly Option<bool> _startTls = Switches.Flag("--starttls", "send STARTTLS if the server offers it, then EHLO again over TLS");
    private readonly Option<bool> _tlsOnConnect = Switches.Flag("--tls-on-connect", "start TLS as soon as the connection opens (SMTPS, RFC 8314)");
    private readonly Option<string?> _cert = Switches.Text("--cert", "FILE", "client certificate (PEM), sent if the server asks; with --key");
    private readonly Option<string?> _key = Switches.Text("--key", "FILE", "the client certificate's key (PEM); no group or world access to it");
    private readonly Option<string?> _caFile = Switches.Text("--cafile", "FILE", "CA certificates (PEM) for {verify}: OK if the server's chain ends at one, else FAIL");
    private readonly Option<string?> _helo = Switches.Text("--helo", "NAME", "the EHLO name (default: this machine's name)");

    private readonly Option<TimeSpan?> _timeout = Switches.Value<TimeSpan?>(
        "--timeout", "SECONDS", "seconds to wait for the connection and for every read (default 30)", Seconds);

    public ProbeSwitches()
    {
        Command = new Command("probe", Description) { _target, _startTls, _tlsOnConnect, _cert, _key, _caFile, _helo, _timeout };
    }

    public Command Command { get; }

    public static ProbePlan Parse(IReadOnlyList<string> args)
    {
        var switches = new ProbeSwitches();
        return switches.Plan(Switches.Parse(switches.Command, args));
    }

    /// <summary>The session to run; a combination of switches that cannot work is a <see cref="UsageError"/>.</summary>
    public ProbePlan Plan(ParseResult parsed)
    {
        var (startTls, tlsOnConnect) = (parsed.GetValue(_startTls), parsed.GetValue(_tlsOnConnect));
        if (startTls && tlsOnConnect)
        {
            throw new UsageError("--starttls and --tls-on-connect exclude each other (STARTTLS runs inside a clear-text session)");
        }

        var (cert, key) = (parsed.GetValue(_cert), parsed.GetValue(_key));
        if ((cert is null) != (key is null))
        {
            throw new UsageError("--cert and --key go together");
        }

        var (host, port) = HostPort.Parse(parsed.GetRequiredValue(_target), tlsOnConnect ? 465 : 25);
        return new ProbePlan(
            host, port, startTls, tlsOnConnect, cert, key, parsed.GetValue(_caFile),
            parsed.GetValue(_helo) ?? Environment.MachineName, parsed.GetValue(_timeout) ?? TimeSpan.FromSeconds(DefaultTimeoutSeconds));
    }

    private static TimeSpan? Seconds(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageError($"{name} must be a whole number of seconds from 1 to 3600, not '{text}'");
}
