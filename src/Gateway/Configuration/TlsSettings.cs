using Gateway.Protocol.Tls;

namespace Gateway.Configuration;

/// <summary>The validated Tls:* keys (DESIGN's table); files are loaded and checked at start by TlsContextLoader.</summary>
internal sealed record TlsSettings(
    string? ServerCertFile,
    string? ServerKeyFile,
    string? CACertFile,
    string? CACertPath,
    string? CRLFile,
    bool RequestClientCert,
    DnFormat DnFormat,
    TimeSpan HandshakeTimeout)
{
    /// <summary>Tls:ClientCertFile: our certificate when relaying, presented when a server asks (SPEC R23).</summary>
    public string? ClientCertFile { get; init; }

    public string? ClientKeyFile { get; init; }

    /// <summary>Tls:SecondServerCertFile: a certificate of the other key type, for clients that cannot verify the first (RSA-only ones).</summary>
    public string? SecondServerCertFile { get; init; }

    public string? SecondServerKeyFile { get; init; }

    /// <summary>Tls:AllowCbc: offer TLS 1.2's CBC suites too (off: AEAD only).</summary>
    public bool AllowCbc { get; init; }

    /// <summary>Tls:SessionCacheTimeout: how long a TLS 1.2 session may be resumed; zero: no resumption.</summary>
    public TimeSpan SessionCacheTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Tls:SessionCacheSize: sessions kept on this node for resumption by session ID.</summary>
    public int SessionCacheSize { get; init; } = 20000;

    /// <summary>Tls:SessionTicketKeyFile: the cluster's ticket secret; null: this node's own, so tickets resume only here.</summary>
    public string? SessionTicketKeyFile { get; init; }
}
