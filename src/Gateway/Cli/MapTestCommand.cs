using Gateway.Protocol.Replies;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Access;
using Gateway.Configuration;
using Gateway.Protocol.Access;
using Gateway.Protocol.Session;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway map test</c>: what the access map decides for one client, the way <c>sendmail -bt</c> would show
/// it, but readable: for each hook, every key tried in order, the one that matched with its value, and the
/// verdict with its exact reply. <c>--json</c> prints the same as JSON. Exit 0 when the map could be read,
/// 64 for a bad command line, 78 when the configuration or the map cannot be used.
/// </summary>
internal static class MapTestCommand
{
    public const string HelpText = """
        usage: gateway map test --client-addr ADDRESS [--client-name NAME [--client-resolve OK|FORGED]] [--client-resolve FAIL|TEMP]
                                [--verify VALUE] [--cipher-bits N]
                                [--auth-ssf N] [--cert-subject DN] [--cert-issuer DN] [--cn-subject CN]
                                [--from ADDR] [--rcpt ADDR] [--config FILE] [--map FILE] [--json]
          Shows what the access map decides for a client: Connect, Srv_Features, tls_client (TLS_Clt), and with
          --from and --rcpt the sender and recipient checks, including relaying by certificate (CertIssuer,
          CertSubject). For each: every key tried, in order, the first that matched, and the verdict.
          --client-addr  {client_addr}: the client's IP address
          --client-name  the client's PTR name (default: none, {client_name} is the address in brackets)
          --client-resolve  {client_resolve}: how its reverse lookup came out: OK (the default with --client-name; the
                         name is {client_name}), FORGED (the name does not map back; {client_name} stays the bracketed
                         address), FAIL (no PTR) or TEMP (DNS failed). It words the relay refusal as the gateway does.
          --verify       {verify}: OK, NO, NOT, FAIL, ... (default empty: no STARTTLS in the session)
          --cipher-bits  {cipher_bits} (default 0); --auth-ssf {auth_ssf} (default 0)
          --cert-subject, --cert-issuer, --cn-subject  the certificate macros, DNs in their encoded form
          --config       the gateway's configuration (Access:*, Smtp:LocalDomains); --map overrides Access:MapFile
        """;

    private static readonly string[] ValueSwitches =
    [
        "--client-addr", "--client-name", "--client-resolve", "--verify", "--cipher-bits", "--auth-ssf", "--cert-subject", "--cert-issuer",
        "--cn-subject", "--from", "--rcpt", "--config", "--map",
    ];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args is [] or ["help" or "--help" or "-h", ..] || args[0] != "test")
        {
            (args is [] or ["help" or "--help" or "-h", ..] ? output : error).WriteLine(HelpText);
            return args is [] or ["help" or "--help" or "-h", ..] ? 0 : ExitCodes.Usage;
        }

        ParsedSwitches parsed;
        MapTestQuery query;
        try
        {
            parsed = ParsedSwitches.Parse(args.Skip(1).ToList(), ValueSwitches, ["--json"], m => new MapUsageError(m));
            if (parsed.Positional.Count > 0)
            {
                throw new MapUsageError($"unexpected argument '{parsed.Positional[0]}'");
            }

            var address = parsed.Value("--client-addr") is { } text && IPAddress.TryParse(text.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) ? text[5..] : text, out var ip)
                ? ip
                : throw new MapUsageError("--client-addr needs the client's IP address");
            query = new MapTestQuery(
                Client(parsed, address),
                parsed.Value("--verify")?.ToUpperInvariant() ?? "",
                Bits(parsed, "--cipher-bits"),
                Bits(parsed, "--auth-ssf"),
                parsed.Value("--cn-subject") ?? "",
                parsed.Value("--cert-subject") ?? "",
                parsed.Value("--cert-issuer") ?? "",
                parsed.Value("--from"),
                parsed.Value("--rcpt"));
        }
        catch (MapUsageError e)
        {
            error.WriteLine($"gateway map test: {e.Message}; try 'gateway map help'");
            return ExitCodes.Usage;
        }

        GatewaySettings settings;
        AccessMap map;
        string? mapFile;
        try
        {
            settings = ConfigurationLoader.Load(parsed.Value("--config"), []);
            mapFile = parsed.Value("--map") is { } m ? Path.GetFullPath(m) : settings.Access.MapFile;
            map = mapFile is null ? AccessMap.Empty : AccessMapFile.Load(mapFile, settings.DontBlameSendmail).Map;
        }
        catch (ConfigurationError e)
        {
            error.WriteLine($"gateway map test: {e.Message}");
            return ExitCodes.Config;
        }
        catch (Exception e) when (e is AccessMapError or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"gateway map test: {e.Message}");
            return ExitCodes.Config;
        }

        var report = MapTrace.Explain(query, settings, map, mapFile);
        output.Write(parsed.Flag("--json") ? JsonSerializer.Serialize(report, Json) + "\n" : Render(report));
        return 0;
    }

    /// <summary>The client as the reverse lookup would have left it: --client-name is the PTR name, --client-resolve its fate.</summary>
    private static ClientHost Client(ParsedSwitches parsed, IPAddress address)
    {
        var name = parsed.Value("--client-name");
        var resolve = parsed.Value("--client-resolve")?.ToUpperInvariant() switch
        {
            null => name is null ? ClientResolve.None : ClientResolve.Ok,
            "OK" => ClientResolve.Ok,
            "FORGED" => ClientResolve.Forged,
            "FAIL" => ClientResolve.Fail,
            "TEMP" => ClientResolve.Temp,
            var other => throw new MapUsageError($"--client-resolve must be OK, FORGED, FAIL or TEMP, not '{other}'"),
        };
        var hasName = resolve is ClientResolve.Ok or ClientResolve.Forged;
        if (hasName && name is null)
        {
            throw new MapUsageError("--client-resolve OK and FORGED need --client-name (the PTR name)");
        }

        if (!hasName && name is not null)
        {
            throw new MapUsageError("--client-name is the PTR name; with --client-resolve FAIL or TEMP there is none");
        }

        return new ClientHost(address, name, resolve);
    }

    private static string Render(MapTestReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"access map {report.MapFile} ({report.Entries} entries), reply codes {report.ReplyCodes}\n");
        text.Append(CultureInfo.InvariantCulture, $"client {{client_name}}={report.ClientName} {{client_addr}}={report.ClientAddr}{(report.ClientResolve.Length > 0 ? $" {{client_resolve}}={report.ClientResolve}" : "")}, {{verify}}={(report.Verify.Length == 0 ? "(empty: no STARTTLS)" : report.Verify)}, {{cipher_bits}}={report.CipherBits}\n");
        foreach (var hook in report.Hooks)
        {
            text.Append('\n').Append(hook.Name).Append('\n');
            foreach (var lookup in hook.Lookups)
            {
                foreach (var key in lookup.Tried)
                {
                    var hit = key == lookup.Matched;
                    text.Append(hit ? "  => " : "     ").Append(key).Append(hit ? $"   \"{lookup.Value}\"" : "").Append('\n');
                }

                if (lookup.Matched is null)
                {
                    text.Append("     (no key matched)\n");
                }
            }

            text.Append("  verdict: ").Append(hook.Verdict);
            if (hook.Reply.Length > 0)
            {
                text.Append("  ").Append(hook.Reply);
            }

            text.Append(hook.Reason.Length > 0 ? $"  ({hook.Reason})" : "").Append('\n');
            if (hook.Features is not null)
            {
                text.Append("  ").Append(hook.Features).Append('\n');
            }
        }

        if (report.Session.Count > 0)
        {
            text.Append("\nthe server's replies\n");
            foreach (var exchange in report.Session)
            {
                text.Append("  ").Append(exchange.Command).Append("  ->  ").Append(exchange.Reply).Append('\n');
            }
        }

        return text.ToString();
    }

    private static int Bits(ParsedSwitches parsed, string name) =>
        parsed.Value(name) is not { } text ? 0
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits <= 65536 ? bits
        : throw new MapUsageError($"{name} must be a whole number of bits, not '{text}'");
}

/// <summary>What <c>gateway map test</c> prints (also as JSON).</summary>
/// <remarks><see cref="Session"/>: the commands the query implies (STARTTLS with --verify, MAIL with --from, RCPT with --rcpt) and the reply the server sends each.</remarks>
internal sealed record MapTestReport(
    string MapFile,
    int Entries,
    string ReplyCodes,
    string ClientName,
    string ClientAddr,
    string ClientResolve,
    string Verify,
    int CipherBits,
    IReadOnlyList<MapTestHook> Hooks,
    IReadOnlyList<MapTestExchange> Session);

/// <summary>One command of the simulated session and the server's reply to it, as sent.</summary>
internal sealed record MapTestExchange(string Command, string Reply);

/// <summary>One hook: its lookups, and the verdict with the reply it sends (empty unless refused) and why.</summary>
internal sealed record MapTestHook(string Name, IReadOnlyList<MapTestLookup> Lookups, string Verdict, string Reply, string Reason, string? Features);

/// <summary>The keys one lookup tried, in order, and the first that matched.</summary>
internal sealed record MapTestLookup(IReadOnlyList<string> Tried, string? Matched, string? Value);
