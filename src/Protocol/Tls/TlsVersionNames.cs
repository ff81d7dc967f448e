using Org.BouncyCastle.Tls;

namespace Gateway.Protocol.Tls;

/// <summary>OpenSSL's spelling of a protocol version for <c>{tls_version}</c> (SPEC R40).</summary>
public static class TlsVersionNames
{
    public const string Unknown = "UNKNOWN";

    public static string Name(ProtocolVersion? version) => version switch
    {
        null => Unknown,
        _ when version.Equals(ProtocolVersion.TLSv13) => "TLSv1.3",
        _ when version.Equals(ProtocolVersion.TLSv12) => "TLSv1.2",
        _ when version.Equals(ProtocolVersion.TLSv11) => "TLSv1.1",
        _ when version.Equals(ProtocolVersion.TLSv10) => "TLSv1",
        _ when version.Equals(ProtocolVersion.SSLv3) => "SSLv3",
        _ => Unknown,
    };
}
