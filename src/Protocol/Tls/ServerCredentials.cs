using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;

namespace Gateway.Protocol.Tls;

/// <summary>The server's certificate chain and key (Tls:ServerCertFile, Tls:ServerKeyFile), checked by SPEC R32.</summary>
public sealed record ServerCredentials(IReadOnlyList<X509CertificateStructure> Chain, AsymmetricKeyParameter PrivateKey)
    : CertifiedKey(Chain, PrivateKey);
