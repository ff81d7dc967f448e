using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace Gateway.Protocol.Tls;

/// <summary>
/// The client certificate chain (leaf first) and its private key, offered when a server asks (SPEC R23:
/// ClientCertFile/ClientKeyFile), already loaded and checked against each other by whoever read the files.
/// </summary>
public sealed record TlsClientCredentials(IReadOnlyList<X509CertificateStructure> Chain, AsymmetricKeyParameter PrivateKey)
{
    /// <summary>ECDSA keys sign with ECDSA schemes; RSA keys with RSA-PSS (and PKCS#1 in TLS 1.2).</summary>
    public bool IsEc => PrivateKey is ECPrivateKeyParameters;
}
