namespace Gateway.Configuration;

/// <summary>
/// The whole configuration, bound from JSON, environment (GATEWAY_Section__Key) and command line
/// (--Section:Key=value). Property names are the keys of DESIGN's table. Collections default to
/// null so that a configured list replaces the default instead of being appended to it.
/// </summary>
internal sealed class GatewayOptions
{
    public SmtpOptions Smtp { get; set; } = new();
    public TlsOptions Tls { get; set; } = new();
    public EntropyOptions Entropy { get; set; } = new();
    public DnsOptions Dns { get; set; } = new();
    public AccessOptions Access { get; set; } = new();
    public QueueOptions Queue { get; set; } = new();
    public DeliveryOptions Delivery { get; set; } = new();
    public ClusterOptions Cluster { get; set; } = new();
    public LoggingOptions Logging { get; set; } = new();
    public HttpOptions Http { get; set; } = new();
    public string[]? DontBlameSendmail { get; set; }
}

internal sealed class SmtpOptions
{
    public string[]? Listen { get; set; }
    public string[]? ImplicitTlsListen { get; set; }
    public string[]? ProxyProtocolListen { get; set; }
    public string[]? ProxyTrustedAddresses { get; set; }
    public double ProxyTimeout { get; set; } = 5;
    public string? Hostname { get; set; }
    public string[]? LocalDomains { get; set; }
    public long MaxMessageSize { get; set; } = 10_485_760;
    public int MaxRecipients { get; set; } = 100;
    public int MaxConnections { get; set; } = 10_000;
    public int MaxConnectionsPerClient { get; set; } = 50;
    public int MaxConnectionRatePerClient { get; set; }
    public string[]? ClientLimitExceptions { get; set; }
    public int ClientIpv6PrefixLength { get; set; } = Configuration.ClientLimitSettings.DefaultIpv6PrefixLength;
    public int MaxBadCommands { get; set; } = Protocol.Limits.DefaultMaxBadCommands;
    public double IdleTimeout { get; set; } = 300;
    public double DrainTimeout { get; set; } = 30;

    /// <summary>Percent of MaxConnections open from which new sessions get the stress timeouts (Postfix's stress mode); 100: never.</summary>
    public int StressThreshold { get; set; } = 80;

    /// <summary>Seconds of silence a session begun under stress is allowed (idle and TLS handshake), as Postfix's smtpd_timeout under stress.</summary>
    public double StressTimeout { get; set; } = 10;
}

internal sealed class TlsOptions
{
    public string? ServerCertFile { get; set; }
    public string? ServerKeyFile { get; set; }

    /// <summary>A second certificate of the other key type (RSA next to ECDSA), as Postfix's smtpd_tls_eccert_file.</summary>
    public string? SecondServerCertFile { get; set; }
    public string? SecondServerKeyFile { get; set; }

    /// <summary>TLS 1.2 CBC suites (ECDHE with AES-CBC and HMAC-SHA2): off by default, AEAD suites only (LUCKY13).</summary>
    public bool AllowCbc { get; set; }
    public string? CACertFile { get; set; }
    public string? CACertPath { get; set; }
    public string? CRLFile { get; set; }
    public string? ClientCertFile { get; set; }
    public string? ClientKeyFile { get; set; }
    public bool RequestClientCert { get; set; } = true;
    public string DnFormat { get; set; } = "openssl3";
    public double HandshakeTimeout { get; set; } = 300;

    /// <summary>Seconds a TLS 1.2 session may be resumed (tickets and session IDs), as Postfix's smtpd_tls_session_cache_timeout; 0: never.</summary>
    public double SessionCacheTimeout { get; set; } = 3600;

    /// <summary>Sessions this node keeps for clients that resume by session ID (tickets need no room).</summary>
    public int SessionCacheSize { get; set; } = 20000;

    /// <summary>The secret every node derives its ticket keys from (base64, 32 bytes or more); none: a key of this node's own.</summary>
    public string? SessionTicketKeyFile { get; set; }
}

internal sealed class EntropyOptions
{
    public string? RandFile { get; set; }
    public double ReseedInterval { get; set; } = 3600;
}

internal sealed class DnsOptions
{
    public bool ReverseLookup { get; set; } = true;
    public string[]? Servers { get; set; }
    public double Timeout { get; set; } = 10;
}

internal sealed class AccessOptions
{
    public string? MapFile { get; set; }
    public string? CertRegexIssuer { get; set; }
    public string? CertRegexSubject { get; set; }
    public string ReplyCodes { get; set; } = "sendmail";
}

internal sealed class QueueOptions
{
    public string Directory { get; set; } = "var/spool";

    /// <summary>"FIRST,LONGEST" in seconds: the first wait after a failed attempt, doubling up to the longest (Postfix's 300,4000).</summary>
    public string RetrySchedule { get; set; } = "300,4000";

    /// <summary>Seconds until an undelivered message is bounced (Postfix's maximal_queue_lifetime, 5 days).</summary>
    public double MaxLifetime { get; set; } = 432_000;

    /// <summary>Seconds until the sender is told the message is delayed (sendmail's Timeout.queuewarn, 4 hours); 0: never.</summary>
    public double DelayWarning { get; set; } = 14_400;
}

internal sealed class DeliveryOptions
{
    public string Maildir { get; set; } = "var/mail";
    public string? SmartHost { get; set; }

    /// <summary>Per recipient domain (or ".parent" for its subdomains): maildir, mx, smtp:[host]:port or smtp:host[:port].</summary>
    public Dictionary<string, string>? Routes { get; set; }

    public int Concurrency { get; set; } = 100;
    public int MaxConnectionsPerDestination { get; set; } = 20;
}

internal sealed class ClusterOptions
{
    public string Hostname { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 4053;
    public string[]? SeedNodes { get; set; }

    /// <summary>How a node finds the others: "seeds" (Cluster:SeedNodes, or none: its own cluster) or "kubernetes".</summary>
    public string Discovery { get; set; } = "seeds";

    /// <summary>Akka.Management's HTTP port, Cluster Bootstrap's contact point (kubernetes only).</summary>
    public int ManagementPort { get; set; } = 8558;

    /// <summary>The Kubernetes label selector of the gateway's pods (kubernetes only).</summary>
    public string DiscoveryLabelSelector { get; set; } = "app=gateway";
}

internal sealed class HttpOptions
{
    /// <summary>address:port of /metrics and /health/*; empty: no HTTP listener. Loopback by default: it is for the operator.</summary>
    public string Listen { get; set; } = "127.0.0.1:9025";

    /// <summary>Seconds between two status records of a node (the cluster table's refresh); 0.2..60.</summary>
    public double StatusInterval { get; set; } = 2;
}

internal sealed class LoggingOptions
{
    public int LogLevel { get; set; } = 9;
    public string Format { get; set; } = "text";
}
