namespace Gateway.Protocol.Routing;

/// <summary>
/// Which <see cref="Route"/> a recipient domain takes: a local domain goes to the Maildir; then the domain's own entry
/// in <c>Delivery:Routes</c>; then a <c>.parent</c> entry, which (as in sendmail's mailertable) covers every subdomain
/// but not the parent itself; then <c>Delivery:SmartHost</c>; else the recipient domain's MX hosts. Domains compare
/// without case and without a trailing dot (RFC 5321 §2.4).
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, Route> _routes;
    private readonly Func<string, bool> _isLocal;

    private RouteTable(Dictionary<string, Route> routes, Route fallback, Func<string, bool> isLocal)
    {
        _routes = routes;
        Fallback = fallback;
        _isLocal = isLocal;
    }

    /// <summary>The Delivery:Routes entries as read (domain or .parent, lower case, without a trailing dot).</summary>
    public IReadOnlyDictionary<string, Route> Entries => _routes;

    /// <summary>Where a domain with no entry goes: the smart host, or the recipient's MX hosts.</summary>
    public Route Fallback { get; }

    /// <summary>
    /// The table from the configuration: <paramref name="routes"/> maps a domain (or <c>.domain</c>) to a route as
    /// <see cref="Route.Parse"/> reads it; <paramref name="smartHost"/> is <c>[host]:port</c> or <c>host[:port]</c>, with or
    /// without <c>smtp:</c>. <paramref name="isLocal"/> is the session's one rule for local domains. Every bad entry is
    /// reported, each under its own key; the table is null then.
    /// </summary>
    public static RouteTable? Build(
        IReadOnlyDictionary<string, string> routes, string? smartHost, Func<string, bool> isLocal, out IReadOnlyList<RouteError> errors)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(isLocal);
        var found = new List<RouteError>();
        var table = new Dictionary<string, Route>(StringComparer.OrdinalIgnoreCase);
        foreach (var (domain, text) in routes)
        {
            var key = $"Delivery:Routes:{domain}";
            var name = Normalize(domain);
            var bare = name.StartsWith('.') ? name[1..] : name;
            if (!HostNames.IsValid(bare))
            {
                found.Add(new RouteError(key, $"'{domain}' is not a domain (write example.com, or .example.com for its subdomains)"));
            }
            else if (Route.Parse(text, out var error) is not { } route)
            {
                found.Add(new RouteError(key, error));
            }
            else if (!table.TryAdd(name, route))
            {
                found.Add(new RouteError(key, $"'{domain}' is given twice"));
            }
        }

        Route fallback = Route.RecipientMx.Instance;
        if (smartHost is { Length: > 0 })
        {
            var text = smartHost.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase) ? smartHost : "smtp:" + smartHost;
            if (Route.Parse(text, out var error) is Route.Relay relay)
            {
                fallback = relay;
            }
            else
            {
                // Quote what the administrator wrote, not the smtp: form it was read in.
                found.Add(new RouteError("Delivery:SmartHost", error.Replace($"'{text}'", $"'{smartHost}'", StringComparison.Ordinal)));
            }
        }

        errors = found;
        return found.Count == 0 ? new RouteTable(table, fallback, isLocal) : null;
    }

    /// <summary>The route for a recipient's domain (empty: a bare local part such as postmaster, which is local).</summary>
    public Route For(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (_isLocal(domain))
        {
            return Route.Maildir.Instance;
        }

        var name = Normalize(domain);
        if (_routes.TryGetValue(name, out var exact))
        {
            return exact;
        }

        // mail.eu.example.com tries .eu.example.com, then .example.com, then .com.
        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            if (_routes.TryGetValue(name[dot..], out var parent))
            {
                return parent;
            }
        }

        return Fallback;
    }

    private static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();
}
