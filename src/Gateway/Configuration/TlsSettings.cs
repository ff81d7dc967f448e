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
    TimeSpan HandshakeTimeout);
