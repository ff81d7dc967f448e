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
}
