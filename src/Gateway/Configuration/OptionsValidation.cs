using System.Net;
using Gateway.Protocol.Access;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;

namespace Gateway.Configuration;

/// <summary>Checks every value and resolves defaults; the first bad value stops start-up by name.</summary>
internal static class OptionsValidation
{
    public static GatewaySettings Validate(GatewayOptions o)
    {
        var smtp = o.Smtp;
        var hostname = smtp.Hostname ?? Dns.GetHostName();
        Require(PathParser.IsDomain(hostname), "Smtp:Hostname", $"'{hostname}' is not a domain name");
        var domains = smtp.LocalDomains ?? ["localhost"];
        foreach (var domain in domains)
        {
            Require(PathParser.IsDomain(domain), "Smtp:LocalDomains", $"'{domain}' is not a domain name");
        }

        Require(smtp.MaxMessageSize > 0, "Smtp:MaxMessageSize", "must be a positive number of bytes");
        Require(smtp.MaxRecipients >= 1, "Smtp:MaxRecipients", "must be at least 1 (RFC 5321 §4.5.3.1.8 asks for 100)");
        Require(smtp.MaxConnections >= 1, "Smtp:MaxConnections", "must be at least 1");
        Require(smtp.MaxConnectionsPerClient >= 1, "Smtp:MaxConnectionsPerClient", "must be at least 1");
        Require(smtp.MaxConnectionRatePerClient >= 0, "Smtp:MaxConnectionRatePerClient", "must be 0 (no limit) or a number of connections per minute");
        Require(smtp.MaxBadCommands >= 1, "Smtp:MaxBadCommands", "must be at least 1");
        Require(smtp.IdleTimeout > 0, "Smtp:IdleTimeout", "must be a positive number of seconds");
        Require(smtp.StressThreshold is >= 1 and <= 100, "Smtp:StressThreshold", "must be 1..100 (percent of Smtp:MaxConnections; 100: only at the limit)");
        Require(smtp.StressTimeout > 0, "Smtp:StressTimeout", "must be a positive number of seconds");
        Require(smtp.DrainTimeout is >= 0 and <= 3600, "Smtp:DrainTimeout", "must be 0..3600 seconds");
        Require(!string.IsNullOrWhiteSpace(o.Queue.Directory), "Queue:Directory", "must name a directory");
        Require(!string.IsNullOrWhiteSpace(o.Delivery.Maildir), "Delivery:Maildir", "must name a directory");
        Require(o.Delivery.Concurrency >= 1, "Delivery:Concurrency", "must be at least 1");
        Require(o.Delivery.MaxConnectionsPerDestination >= 1, "Delivery:MaxConnectionsPerDestination", "must be at least 1");
        Require(o.Cluster.Port is >= 0 and <= 65535, "Cluster:Port", "must be 0..65535 (0 = any free port)");
        Require(o.Http.StatusInterval is >= 0.2 and <= 60, "Http:StatusInterval", "must be 0.2..60 seconds");
        Require(o.Logging.LogLevel is >= 0 and <= 99, "Logging:LogLevel", "must be 0..99");
        Require(o.Logging.Format is "text" or "json", "Logging:Format", "must be text (one line per event, as today) or json (one JSON object per line)");
        Require(o.Tls.DnFormat is "openssl3" or "legacy", "Tls:DnFormat", "must be openssl3 or legacy");
        Require(o.Access.ReplyCodes is "sendmail" or "sendmail-perm-err" or "rfc", "Access:ReplyCodes", "must be sendmail, sendmail-perm-err or rfc (SPEC R53)");
        var tls = o.Tls;
        Require((tls.ServerCertFile is null) == (tls.ServerKeyFile is null), tls.ServerCertFile is null ? "Tls:ServerCertFile" : "Tls:ServerKeyFile",
            "Tls:ServerCertFile and Tls:ServerKeyFile go together (unset both for a generated self-signed certificate)");
        Require((tls.SecondServerCertFile is null) == (tls.SecondServerKeyFile is null), tls.SecondServerCertFile is null ? "Tls:SecondServerCertFile" : "Tls:SecondServerKeyFile",
            "Tls:SecondServerCertFile and Tls:SecondServerKeyFile go together");
        Require(tls.SecondServerCertFile is null || tls.ServerCertFile is not null, "Tls:SecondServerCertFile",
            "needs Tls:ServerCertFile: a second certificate goes next to a first one");
        Require((tls.ClientCertFile is null) == (tls.ClientKeyFile is null), tls.ClientCertFile is null ? "Tls:ClientCertFile" : "Tls:ClientKeyFile",
            "Tls:ClientCertFile and Tls:ClientKeyFile go together");
        Require(o.Entropy.ReseedInterval > 0, "Entropy:ReseedInterval", "must be a positive number of seconds");
        Require(tls.HandshakeTimeout > 0, "Tls:HandshakeTimeout", "must be a positive number of seconds");
        Require(tls.SessionCacheTimeout is >= 0 and <= 86400, "Tls:SessionCacheTimeout", "must be 0..86400 seconds (0: no session resumption)");
        Require(tls.SessionCacheSize is >= 0 and <= 1_000_000, "Tls:SessionCacheSize", "must be 0..1000000 sessions");
        Require(o.Dns.Timeout is > 0 and <= 120, "Dns:Timeout", "must be more than 0 and at most 120 seconds (the greeting waits for it)");
        var dontBlame = new HashSet<string>(o.DontBlameSendmail ?? [], StringComparer.OrdinalIgnoreCase);
        foreach (var flag in dontBlame)
        {
            Require(KnownDontBlame.Contains(flag), "DontBlameSendmail", $"'{flag}' is not one of {string.Join(", ", KnownDontBlame)}");
        }

        return new GatewaySettings(
            Endpoints(smtp.Listen ?? ["127.0.0.1:2525"], "Smtp:Listen"),
            hostname,
            new HashSet<string>(domains, StringComparer.OrdinalIgnoreCase),
            smtp.MaxMessageSize,
            smtp.MaxRecipients,
            smtp.MaxConnections,
            smtp.MaxConnectionsPerClient,
            smtp.MaxBadCommands,
            TimeSpan.FromSeconds(smtp.IdleTimeout),
            o.Queue.Directory,
            o.Delivery.Maildir,
            o.Delivery.Concurrency,
            o.Cluster.Hostname,
            o.Cluster.Port,
            o.Cluster.SeedNodes ?? [],
            o.Logging.LogLevel,
            new TlsSettings(
                FullPath(tls.ServerCertFile), FullPath(tls.ServerKeyFile), FullPath(tls.CACertFile), FullPath(tls.CACertPath),
                FullPath(tls.CRLFile), tls.RequestClientCert, DnFormats.Parse(tls.DnFormat), TimeSpan.FromSeconds(tls.HandshakeTimeout))
            {
                ClientCertFile = FullPath(tls.ClientCertFile),
                ClientKeyFile = FullPath(tls.ClientKeyFile),
                SecondServerCertFile = FullPath(tls.SecondServerCertFile),
                SecondServerKeyFile = FullPath(tls.SecondServerKeyFile),
                AllowCbc = tls.AllowCbc,
                SessionCacheTimeout = TimeSpan.FromSeconds(tls.SessionCacheTimeout),
                SessionCacheSize = tls.SessionCacheSize,
                SessionTicketKeyFile = FullPath(tls.SessionTicketKeyFile),
            },
            smtp.ImplicitTlsListen is { } implicitTls ? Endpoints(implicitTls, "Smtp:ImplicitTlsListen") : [],
            dontBlame)
        {
            Access = Access(o.Access),
            RandFile = o.Entropy.RandFile,
            ReseedInterval = TimeSpan.FromSeconds(o.Entropy.ReseedInterval),
            Dns = new DnsSettings(o.Dns.ReverseLookup, NameServers(o.Dns.Servers ?? []), TimeSpan.FromSeconds(o.Dns.Timeout)),
            Relay = Relay(o, hostname, domains),
            DrainTimeout = TimeSpan.FromSeconds(smtp.DrainTimeout),
            Stress = new StressSettings(Math.Max(1, smtp.MaxConnections * smtp.StressThreshold / 100), TimeSpan.FromSeconds(smtp.StressTimeout)),
            Proxy = Proxy(smtp),
            ClientLimits = ClientLimits(smtp),
            JsonLogs = o.Logging.Format == "json",
            Discovery = ClusterDiscoverySettings.From(o.Cluster),
            HttpListen = string.IsNullOrWhiteSpace(o.Http.Listen) ? null : Endpoints([o.Http.Listen], "Http:Listen")[0],
            StatusInterval = TimeSpan.FromSeconds(o.Http.StatusInterval),
        };
    }

    /// <summary>
    /// Smtp:ProxyProtocolListen needs Smtp:ProxyTrustedAddresses: a header is believed only from a listed balancer,
    /// so such a listener with nobody listed could serve no one.
    /// </summary>
    /// <summary>Blank entries are dropped, so <c>--Smtp:ClientLimitExceptions:0=</c> means "no exceptions".</summary>
    private static ClientLimitSettings ClientLimits(SmtpOptions smtp)
    {
        var entries = smtp.ClientLimitExceptions?.Where(e => !string.IsNullOrWhiteSpace(e)).ToList() ?? [.. ClientLimitSettings.DefaultExceptions];
        if (!NetworkList.TryParse(entries, out var exceptions, out var error))
        {
            throw new ConfigurationError("Smtp:ClientLimitExceptions", error!);
        }

        Require(smtp.ClientIpv6PrefixLength is >= 1 and <= 128, "Smtp:ClientIpv6PrefixLength", "must be 1..128 bits");
        return new ClientLimitSettings(smtp.MaxConnectionRatePerClient, exceptions, smtp.ClientIpv6PrefixLength);
    }

    private static ProxySettings Proxy(SmtpOptions smtp)
    {
        var listen = smtp.ProxyProtocolListen is { } endpoints ? Endpoints(endpoints, "Smtp:ProxyProtocolListen") : [];
        if (!NetworkList.TryParse(smtp.ProxyTrustedAddresses ?? [], out var trusted, out var error))
        {
            throw new ConfigurationError("Smtp:ProxyTrustedAddresses", error!);
        }

        Require(listen.Count == 0 || trusted.Networks.Count > 0, "Smtp:ProxyTrustedAddresses",
            "must list the balancers' addresses (or address/prefix) when Smtp:ProxyProtocolListen is set: a PROXY header is accepted only from them");
        Require(smtp.ProxyTimeout is > 0 and <= 300, "Smtp:ProxyTimeout", "must be more than 0 and at most 300 seconds");
        var timeout = TimeSpan.FromSeconds(smtp.ProxyTimeout);
        return listen.Count == 0 && trusted.Networks.Count == 0 && timeout == ProxySettings.DefaultTimeout
            ? ProxySettings.None
            : new ProxySettings(listen, trusted, timeout);
    }

    private static RelayConfiguration Relay(GatewayOptions o, string hostname, IReadOnlyList<string> domains)
    {
        // The sessions' one rule for local domains (trailing dot, case), so routing and RCPT agree.
        var session = new SessionSettings(hostname, 1, 1, 1, new HashSet<string>(domains, StringComparer.OrdinalIgnoreCase));
        var routes = RouteTable.Build(o.Delivery.Routes ?? [], o.Delivery.SmartHost, session.IsLocal, out var errors);
        if (routes is null)
        {
            var first = errors[0];
            throw new ConfigurationError(first.Key, first.Message);
        }

        return new RelayConfiguration(routes, o.Delivery.MaxConnectionsPerDestination, Schedule(o.Queue));
    }

    /// <summary>Queue:RetrySchedule ("300,4000"), Queue:MaxLifetime and Queue:DelayWarning, in seconds.</summary>
    private static RetrySchedule Schedule(QueueOptions queue)
    {
        var parts = queue.RetrySchedule.Split(',', StringSplitOptions.TrimEntries);
        var valid = parts.Length == 2
            && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var first)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var longest)
            && first > 0 && longest >= first;
        Require(valid, "Queue:RetrySchedule", $"'{queue.RetrySchedule}' is not FIRST,LONGEST in seconds with 0 < FIRST <= LONGEST (e.g. 300,4000)");
        Require(queue.MaxLifetime > 0, "Queue:MaxLifetime", "must be a positive number of seconds");
        Require(queue.DelayWarning >= 0, "Queue:DelayWarning", "must be 0 (never) or a positive number of seconds");
        var firstWait = TimeSpan.FromSeconds(double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture));
        var longestWait = TimeSpan.FromSeconds(double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));

        // 0 turns the warning off: a delay never reached within the lifetime.
        var warning = queue.DelayWarning == 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(queue.DelayWarning);
        return new RetrySchedule(firstWait, longestWait, TimeSpan.FromSeconds(queue.MaxLifetime), warning);
    }

    private static AccessSettings Access(AccessOptions access) => new(
        FullPath(access.MapFile),
        new AccessPolicySettings(
            access.ReplyCodes switch
            {
                "rfc" => ReplyCodeStyle.Rfc,
                "sendmail-perm-err" => ReplyCodeStyle.SendmailPermErr,
                _ => ReplyCodeStyle.Sendmail,
            },
            Regex(access.CertRegexIssuer, "Access:CertRegexIssuer"),
            Regex(access.CertRegexSubject, "Access:CertRegexSubject")));

    /// <summary>SPEC R61's map definition, e.g. "-s1 /CN=([^/]*)"; empty means none.</summary>
    private static CertRegex? Regex(string? spec, string key)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            return null;
        }

        return CertRegex.Parse(spec, out var error) ?? throw new ConfigurationError(key, error!);
    }

    /// <summary>Dns:Servers: "192.0.2.53", "[2001:db8::53]" or with a port, "127.0.0.1:5353"; port 53 when none is given.</summary>
    private static IPEndPoint[] NameServers(IEnumerable<string> values) =>
    [
        .. values.Select(value =>
            IPEndPoint.TryParse(value, out var endpoint) ? new IPEndPoint(endpoint.Address, endpoint.Port == 0 ? 53 : endpoint.Port)
            : throw new ConfigurationError("Dns:Servers", $"'{value}' is not an address or address:port (e.g. 127.0.0.1 or 127.0.0.1:5353)")),
    ];

    /// <summary>The DontBlameSendmail flags this gateway honours (SPEC R34, R75).</summary>
    private static readonly string[] KnownDontBlame = ["GroupReadableKeyFile", "CertOwner", "InsufficientEntropy"];

    // SPEC R33 wants absolute paths; relative ones are resolved against the working directory
    // at start, so that what the log and the checks name is the file actually read.
    private static string? FullPath(string? path) => string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);

    /// <summary>Parses "address:port" and "[v6]:port"; port 0 asks the system for a free one.</summary>
    public static IReadOnlyList<IPEndPoint> Endpoints(IEnumerable<string> values, string key)
    {
        var result = new List<IPEndPoint>();
        foreach (var value in values)
        {
            if (!IPEndPoint.TryParse(value, out var endpoint) || !value.Contains(':', StringComparison.Ordinal)
                || value.EndsWith(':') || endpoint.Port is < 0 or > 65535)
            {
                throw new ConfigurationError(key, $"'{value}' is not address:port (e.g. 127.0.0.1:2525 or [::1]:2525)");
            }

            result.Add(endpoint);
        }

        Require(result.Count > 0, key, "needs at least one address:port");
        return result;
    }

    private static void Require(bool condition, string key, string reason)
    {
        if (!condition)
        {
            throw new ConfigurationError(key, reason);
        }
    }

}
