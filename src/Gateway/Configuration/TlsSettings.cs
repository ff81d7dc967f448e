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
}
