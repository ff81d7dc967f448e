using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;

namespace Gateway.Protocol.Tls;

/// <summary>The client certificate chain and key, offered only when a server asks (SPEC R23: ClientCertFile/ClientKeyFile).</summary>
public sealed record TlsClientCredentials(IReadOnlyList<X509CertificateStructure> Chain, AsymmetricKeyParameter PrivateKey)
    : CertifiedKey(Chain, PrivateKey);
