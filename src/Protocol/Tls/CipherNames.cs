using System.Globalization;
using Org.BouncyCastle.Tls;

namespace Gateway.Protocol.Tls;

/// <summary><c>{cipher}</c>, <c>{cipher_bits}</c> and <c>{alg_bits}</c> for a negotiated suite (SPEC R46, R49).</summary>
public static class CipherNames
{
    /// <summary>The suite codes this table names; a TLS engine may offer only these so every session gets a name.</summary>
    public static IReadOnlyCollection<int> Known { get; } = CipherSuiteTable.Suites.Keys.ToArray();

    /// <summary>
    /// OpenSSL's name (what sendmail shows); a suite OpenSSL has no name for gets its IANA name (R49, gateway
    /// choice), and a code missing from the table "0xC0FF"-style hex.
    /// </summary>
    public static string OpenSslName(int cipherSuite) =>
        CipherSuiteTable.Suites.TryGetValue(cipherSuite, out var names)
            ? names.OpenSsl ?? names.Iana
            : Hex(cipherSuite);

    /// <summary>The IANA registry name, or "0xC0FF"-style hex for a code missing from the table.</summary>
    public static string IanaName(int cipherSuite) =>
        CipherSuiteTable.Suites.TryGetValue(cipherSuite, out var names) ? names.Iana : Hex(cipherSuite);

    /// <summary>
    /// OpenSSL's secret bits and algorithm bits of the suite's symmetric cipher, never of the key exchange (R49);
    /// (0, 0) for a NULL or unknown cipher.
    /// </summary>
    public static (int CipherBits, int AlgBits) Bits(int cipherSuite) =>
        TlsUtilities.GetEncryptionAlgorithm(cipherSuite) switch
        {
            EncryptionAlgorithm.AES_128_CBC or EncryptionAlgorithm.AES_128_GCM or EncryptionAlgorithm.AES_128_CCM
                or EncryptionAlgorithm.AES_128_CCM_8 => (128, 128),
            EncryptionAlgorithm.AES_256_CBC or EncryptionAlgorithm.AES_256_GCM or EncryptionAlgorithm.AES_256_CCM
                or EncryptionAlgorithm.AES_256_CCM_8 => (256, 256),
            EncryptionAlgorithm.CHACHA20_POLY1305 => (256, 256),
            EncryptionAlgorithm.CAMELLIA_128_CBC or EncryptionAlgorithm.CAMELLIA_128_GCM => (128, 128),
            EncryptionAlgorithm.CAMELLIA_256_CBC or EncryptionAlgorithm.CAMELLIA_256_GCM => (256, 256),
            EncryptionAlgorithm.ARIA_128_CBC or EncryptionAlgorithm.ARIA_128_GCM => (128, 128),
            EncryptionAlgorithm.ARIA_256_CBC or EncryptionAlgorithm.ARIA_256_GCM => (256, 256),
            EncryptionAlgorithm.SM4_CBC or EncryptionAlgorithm.SM4_CCM or EncryptionAlgorithm.SM4_GCM => (128, 128),
            EncryptionAlgorithm.SEED_CBC or EncryptionAlgorithm.IDEA_CBC => (128, 128),

            // R46: 3DES has 168 key bits but OpenSSL ≥1.1 reports 112 effective bits.
            EncryptionAlgorithm.cls_3DES_EDE_CBC => (112, 168),
            EncryptionAlgorithm.DES_CBC => (56, 56),
            EncryptionAlgorithm.DES40_CBC => (40, 56),
            EncryptionAlgorithm.RC4_128 => (128, 128),
            EncryptionAlgorithm.RC4_40 or EncryptionAlgorithm.RC2_CBC_40 => (40, 128),
            EncryptionAlgorithm.KUZNYECHIK_CTR_OMAC or EncryptionAlgorithm.MAGMA_CTR_OMAC
                or EncryptionAlgorithm.cls_28147_CNT_IMIT => (256, 256),
            _ => (0, 0),
        };

    private static string Hex(int cipherSuite) => "0x" + cipherSuite.ToString("X4", CultureInfo.InvariantCulture);
}
