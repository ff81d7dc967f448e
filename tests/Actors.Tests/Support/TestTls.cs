using Gateway.Actors.Connection;
using Org.BouncyCastle.Tls;

namespace Gateway.Actors.Tests.Support;

/// <summary>Connection settings with TLS on, and the names the TLS tests use for versions and client certificates.</summary>
public static class TestTls
{
    /// <summary>TLS record content types (RFC 8446 §5.1): every record starts with one, 20 to 23.</summary>
    public const byte ChangeCipherSpec = 20;

    public const byte Alert = 21;

    public const byte ApplicationData = 23;

    /// <summary>
    /// STARTTLS offered with the test PKI. The handshake timer is long enough never to fire unless a
    /// test shortens it; ConnectionSettings' default of zero would end every handshake at once.
    /// </summary>
    public static ConnectionSettings Offered(bool requestClientCertificate = true) => TestSettings.Connection with
    {
        Session = TestSettings.Session with { StartTlsOffered = true },
        Tls = TestCertificates.ServerOptions(requestClientCertificate),
        HandshakeTimeout = TimeSpan.FromMinutes(5),
    };

    public static ProtocolVersion Version(string name) => name switch
    {
        "TLSv1.3" => ProtocolVersion.TLSv13,
        "TLSv1.2" => ProtocolVersion.TLSv12,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a version the gateway offers"),
    };

    /// <summary>"none", "trusted" (signed by the server's CA), "untrusted" (another CA) or "expired".</summary>
    public static TestCertificates.Issued? ClientCertificate(string name) => name switch
    {
        "none" => null,
        "trusted" => TestCertificates.Client,
        "untrusted" => TestCertificates.UntrustedClient,
        "expired" => TestCertificates.ExpiredClient,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such test certificate"),
    };
}
