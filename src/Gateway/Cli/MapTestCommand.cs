using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Access;
using Gateway.Configuration;
using Gateway.Protocol.Access;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway map test</c>: what the access map decides for one client (or, with --server-name, for relaying to one
/// server), the way <c>sendmail -bt</c> would show it, but readable: for each hook, every key tried in order, the one that matched with its value, and the
/// verdict with its exact reply. <c>--json</c> prints the same as JSON. Exit 0 when the map could be read,
/// 64 for a bad command line, 78 when the configuration or the map cannot be used.
/// </summary>
internal static class MapTestCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static int Run(MapTestPlan plan, TextWriter output, TextWriter error)
    {
        GatewaySettings settings;
        AccessMap map;
        string? mapFile;
        try
        {
            settings = ConfigurationLoader.Load(plan.ConfigFile, []);
            mapFile = plan.MapFile is { } m ? Path.GetFullPath(m) : settings.Access.MapFile;
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

        if (plan.Relay is { } relay)
        {
            var relayReport = MapRelayTrace.Explain(relay, settings, map, mapFile);
            output.Write(plan.Json ? JsonSerializer.Serialize(relayReport, Json) + "\n" : Render(relayReport));
            return 0;
        }

        var report = MapTrace.Explain(plan.Query!, settings, map, mapFile);
        output.Write(plan.Json ? JsonSerializer.Serialize(report, Json) + "\n" : Render(report));
        return 0;
    }

    private static string Render(MapRelayReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"access map {report.MapFile} ({report.Entries} entries), reply codes {report.ReplyCodes}\n");
        text.Append(CultureInfo.InvariantCulture, $"relaying to {{server_name}}={report.ServerName} {{server_addr}}={(report.ServerAddr.Length == 0 ? "(none)" : report.ServerAddr)}, {{verify}}={report.Verify}, {{cipher_bits}}={report.CipherBits}\n");
        RenderHooks(text, report.Hooks);
        text.Append("\nwhat the client does\n");
        foreach (var action in report.Actions)
        {
            text.Append("  ").Append(action.Command).Append("  ->  ").Append(action.Reply).Append('\n');
        }

        return text.ToString();
    }

    private static string Render(MapTestReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"access map {report.MapFile} ({report.Entries} entries), reply codes {report.ReplyCodes}\n");
        text.Append(CultureInfo.InvariantCulture, $"client {{client_name}}={report.ClientName} {{client_addr}}={report.ClientAddr}{(report.ClientResolve.Length > 0 ? $" {{client_resolve}}={report.ClientResolve}" : "")}, {{verify}}={(report.Verify.Length == 0 ? "(empty: no STARTTLS)" : report.Verify)}, {{cipher_bits}}={report.CipherBits}\n");
        RenderHooks(text, report.Hooks);
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

    private static void RenderHooks(StringBuilder text, IReadOnlyList<MapTestHook> hooks)
    {
        foreach (var hook in hooks)
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
    }
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

/// <summary>What <c>gateway map test --server-name</c> prints (also as JSON): the client-side hooks and what the client does after each.</summary>
internal sealed record MapRelayReport(
    string MapFile,
    int Entries,
    string ReplyCodes,
    string ServerName,
    string ServerAddr,
    string Verify,
    int CipherBits,
    IReadOnlyList<MapTestHook> Hooks,
    IReadOnlyList<MapTestExchange> Actions);

/// <summary>One command of the simulated session and the server's reply to it, as sent.</summary>
internal sealed record MapTestExchange(string Command, string Reply);

/// <summary>One hook: its lookups, and the verdict with the reply it sends (empty unless refused) and why.</summary>
internal sealed record MapTestHook(string Name, IReadOnlyList<MapTestLookup> Lookups, string Verdict, string Reply, string Reason, string? Features);

/// <summary>The keys one lookup tried, in order, and the first that matched.</summary>
internal sealed record MapTestLookup(IReadOnlyList<string> Tried, string? Matched, string? Value);
