using System.CommandLine;
using System.Globalization;
using System.Net;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;

namespace Gateway.Cli;

/// <summary>
/// The command line of <c>gateway map test</c>, declared once for the parser and the generated help: the client as
/// the reverse lookup left it, its TLS macros, optionally a sender and a recipient, and where the map is.
/// </summary>
internal sealed class MapTestSwitches
{
    public const string TestDescription = "What the access map decides for a client, the way sendmail -bt would show it, but readable.";

    public const string TestNotes = """
        Shows the checks Connect, Srv_Features, tls_client (TLS_Clt), and with --from and --rcpt the sender and
        recipient checks, including relaying by certificate (CertIssuer, CertSubject). For each: every key tried,
        in order, the first that matched, and the verdict with its exact reply. The session is played through the
        same steps the server takes, so a check the server would not make (restricted mode, a refused MAIL) shows
        as not asked, and the report ends with the server's reply to STARTTLS (--verify), MAIL and RCPT.
        With --server-name instead of --client-addr it shows the relaying side: Clt_Features, Try_TLS, tls_server
        (TLS_Srv) with the connection's --verify (default NONE), and with --rcpt tls_rcpt (TLS_Rcpt), then what the
        client does: QUIT, close, skip the RCPT, and whether the recipients stay queued or fail.
        Exit 0 when the map could be read, 64 for a bad command line, 78 when the configuration or the map cannot
        be used.
        """;

    private readonly Option<IPAddress?> _clientAddr = Switches.Value<IPAddress?>(
        "--client-addr",
        "ADDRESS",
        "{client_addr}: the client's IP address (required, unless --server-name traces relaying)",
        (text, name) => IPAddress.TryParse(text.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) ? text[5..] : text, out var ip)
            ? ip
            : throw new UsageError($"{name} needs the client's IP address"));

    private readonly Option<string?> _serverName = Switches.Text(
        "--server-name", "NAME", "relaying: {server_name}, the host the client connects to; traces the client-side hooks instead");

    private readonly Option<IPAddress?> _serverAddr = Switches.Value<IPAddress?>(
        "--server-addr",
        "ADDRESS",
        "relaying: {server_addr}, that host's IP address (default: none, no address keys are tried)",
        (text, name) => IPAddress.TryParse(text.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) ? text[5..] : text, out var ip)
            ? ip
            : throw new UsageError($"{name} needs the server's IP address"));

    private readonly Option<string?> _clientName = Switches.Text(
        "--client-name", "NAME", "the client's PTR name (default: none, {client_name} is the address in brackets)");

    private readonly Option<string?> _clientResolve = Switches.Value<string?>(
        "--client-resolve",
        "OK|FORGED|FAIL|TEMP",
        "{client_resolve}: how its reverse lookup came out: OK (the default with --client-name; the name is {client_name}), "
        + "FORGED (the name does not map back; {client_name} stays the bracketed address), FAIL (no PTR) or TEMP (DNS failed). "
        + "It words the relay refusal as the gateway does.",
        (text, name) => text.ToUpperInvariant() is "OK" or "FORGED" or "FAIL" or "TEMP"
            ? text.ToUpperInvariant()
            : throw new UsageError($"{name} must be OK, FORGED, FAIL or TEMP, not '{text.ToUpperInvariant()}'"));

    private readonly Option<string?> _verify = Switches.Text(
        "--verify", "VALUE", "{verify}: OK, NO, NOT, FAIL, ... (default empty: no STARTTLS in the session)");

    private readonly Option<int?> _cipherBits = Bits("--cipher-bits", "{cipher_bits} (default 0)");
    private readonly Option<int?> _authSsf = Bits("--auth-ssf", "{auth_ssf}: always 0, since the gateway offers no AUTH; another value is refused");
    private readonly Option<string?> _certSubject = Switches.Text("--cert-subject", "DN", "{cert_subject}, the DN in its encoded form");
    private readonly Option<string?> _certIssuer = Switches.Text("--cert-issuer", "DN", "{cert_issuer}, the DN in its encoded form");
    private readonly Option<string?> _cnSubject = Switches.Text("--cn-subject", "CN", "{cn_subject}, the certificate's CN");
    private readonly Option<string?> _from = Switches.Text("--from", "ADDR", "a MAIL FROM address to check ('<>' is the null sender)");
    private readonly Option<string?> _rcpt = Switches.Text("--rcpt", "ADDR", "an RCPT TO address to check, relaying by certificate included");
    private readonly Option<string?> _config = Switches.Text("--config", "FILE", "the gateway's configuration (Access:*, Smtp:LocalDomains)");
    private readonly Option<string?> _map = Switches.Text("--map", "FILE", "the access map to read instead of Access:MapFile");
    private readonly Option<bool> _json = Switches.Flag("--json", "print the report as JSON");

    public MapTestSwitches()
    {
        _clientResolve.CompletionSources.Add("OK", "FORGED", "FAIL", "TEMP");
        _verify.CompletionSources.Add("OK", "NO", "NOT", "FAIL", "NONE", "TEMP", "PROTOCOL", "SOFTWARE", "CLEAR", "CONFIG", "TRUSTED");
        Test = new Command("test", TestDescription)
        {
            _clientAddr, _clientName, _clientResolve, _serverName, _serverAddr, _verify, _cipherBits, _authSsf, _certSubject, _certIssuer, _cnSubject,
            _from, _rcpt, _config, _map, _json,
        };
        Command = new Command("map", "The access map: 'gateway map test' traces a client's checks; 'gateway map push' publishes a map to the cluster; 'gateway map status' shows the version in force.")
        {
            Test,
        };
    }

    /// <summary><c>gateway map</c>, with <see cref="Test"/> under it.</summary>
    public Command Command { get; }

    public Command Test { get; }

    /// <summary>The query and files; a --client-name that contradicts --client-resolve is a <see cref="UsageError"/>.</summary>
    public MapTestPlan Plan(ParseResult parsed)
    {
        if (parsed.GetValue(_authSsf) is > 0)
        {
            // The trace must not show a session the server cannot have: without AUTH, {auth_ssf} is 0 in every session.
            throw new UsageError("--auth-ssf: the gateway offers no AUTH, so {auth_ssf} is 0 in every session");
        }

        if (parsed.GetValue(_serverName) is { } serverName)
        {
            return new MapTestPlan(null, parsed.GetValue(_config), parsed.GetValue(_map), parsed.GetValue(_json), Relay(parsed, serverName));
        }

        if (parsed.GetValue(_serverAddr) is not null)
        {
            throw new UsageError("--server-addr needs --server-name (the relaying trace)");
        }

        var clientAddr = parsed.GetValue(_clientAddr) ?? throw new UsageError("Option '--client-addr' is required (or --server-name, to trace relaying)");
        var query = new MapTestQuery(
            Client(clientAddr, parsed.GetValue(_clientName), parsed.GetValue(_clientResolve)),
            parsed.GetValue(_verify)?.ToUpperInvariant() ?? "",
            parsed.GetValue(_cipherBits) ?? 0,
            parsed.GetValue(_authSsf) ?? 0,
            parsed.GetValue(_cnSubject) ?? "",
            parsed.GetValue(_certSubject) ?? "",
            parsed.GetValue(_certIssuer) ?? "",
            parsed.GetValue(_from),
            parsed.GetValue(_rcpt));
        return new MapTestPlan(query, parsed.GetValue(_config), parsed.GetValue(_map), parsed.GetValue(_json));
    }

    /// <summary>The relaying trace: the server side's switches describe a client, so they cannot be given with it.</summary>
    private MapRelayQuery Relay(ParseResult parsed, string serverName)
    {
        foreach (var serverSide in new Option[] { _clientAddr, _clientName, _clientResolve, _from })
        {
            if (parsed.GetResult(serverSide) is not null)
            {
                throw new UsageError($"{serverSide.Name} describes a client of this gateway; --server-name traces relaying to a server");
            }
        }

        return new MapRelayQuery(
            serverName.TrimEnd('.'),
            parsed.GetValue(_serverAddr) is { } address ? SessionMacros.ClientAddr(address) : "",
            parsed.GetValue(_verify)?.ToUpperInvariant() ?? TlsClientVerifyValues.None,
            parsed.GetValue(_cipherBits) ?? 0,
            parsed.GetValue(_cnSubject) ?? "",
            parsed.GetValue(_certSubject) ?? "",
            parsed.GetValue(_certIssuer) ?? "",
            parsed.GetValue(_rcpt));
    }

    /// <summary>The client as the reverse lookup would have left it: --client-name is the PTR name, --client-resolve its fate.</summary>
    private static ClientHost Client(IPAddress address, string? name, string? given)
    {
        var resolve = given switch
        {
            "OK" => ClientResolve.Ok,
            "FORGED" => ClientResolve.Forged,
            "FAIL" => ClientResolve.Fail,
            "TEMP" => ClientResolve.Temp,
            _ => name is null ? ClientResolve.None : ClientResolve.Ok,
        };
        var hasName = resolve is ClientResolve.Ok or ClientResolve.Forged;
        if (hasName && name is null)
        {
            throw new UsageError("--client-resolve OK and FORGED need --client-name (the PTR name)");
        }

        if (!hasName && name is not null)
        {
            throw new UsageError("--client-name is the PTR name; with --client-resolve FAIL or TEMP there is none");
        }

        return new ClientHost(address, name, resolve);
    }

    private static Option<int?> Bits(string name, string description) => Switches.Value<int?>(
        name,
        "N",
        description,
        (text, typed) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits <= 65536
            ? bits
            : throw new UsageError($"{typed} must be a whole number of bits, not '{text}'"));
}
