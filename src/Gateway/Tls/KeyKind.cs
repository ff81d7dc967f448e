namespace Gateway.Tls;

/// <summary>The key algorithms the gateway mints. ECDSA P-256 is the default: BouncyCastle signs with it ~50× faster than with RSA-2048.</summary>
internal enum KeyKind
{
    EcdsaP256,
    Rsa2048,
}
