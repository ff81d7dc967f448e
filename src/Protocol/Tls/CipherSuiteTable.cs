using Org.BouncyCastle.Tls;

namespace Gateway.Protocol.Tls;

/// <summary>
/// IANA suite code → IANA name and OpenSSL name, for the suites BouncyCastle can negotiate (SPEC R49).
/// OpenSSL names were checked against <c>openssl ciphers -stdname -V</c> (OpenSSL 3.0), except the 3DES rows,
/// which that build no longer lists; a null OpenSSL name means OpenSSL has none and the IANA name is shown.
/// </summary>
internal static class CipherSuiteTable
{
    public static readonly IReadOnlyDictionary<int, (string Iana, string? OpenSsl)> Suites =
        new Dictionary<int, (string, string?)>
        {
            [CipherSuite.TLS_AES_256_GCM_SHA384] = (nameof(CipherSuite.TLS_AES_256_GCM_SHA384), "TLS_AES_256_GCM_SHA384"),
            [CipherSuite.TLS_CHACHA20_POLY1305_SHA256] = (nameof(CipherSuite.TLS_CHACHA20_POLY1305_SHA256), "TLS_CHACHA20_POLY1305_SHA256"),
            [CipherSuite.TLS_AES_128_GCM_SHA256] = (nameof(CipherSuite.TLS_AES_128_GCM_SHA256), "TLS_AES_128_GCM_SHA256"),
            [CipherSuite.TLS_AES_128_CCM_SHA256] = (nameof(CipherSuite.TLS_AES_128_CCM_SHA256), "TLS_AES_128_CCM_SHA256"),
            [CipherSuite.TLS_AES_128_CCM_8_SHA256] = (nameof(CipherSuite.TLS_AES_128_CCM_8_SHA256), "TLS_AES_128_CCM_8_SHA256"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384), "ECDHE-ECDSA-AES256-GCM-SHA384"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), "ECDHE-ECDSA-AES128-GCM-SHA256"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256), "ECDHE-ECDSA-CHACHA20-POLY1305"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CCM] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CCM), "ECDHE-ECDSA-AES256-CCM"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM), "ECDHE-ECDSA-AES128-CCM"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8), "ECDHE-ECDSA-AES256-CCM8"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8), "ECDHE-ECDSA-AES128-CCM8"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384), "ECDHE-ECDSA-AES256-SHA384"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256), "ECDHE-ECDSA-AES128-SHA256"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA), "ECDHE-ECDSA-AES256-SHA"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA), "ECDHE-ECDSA-AES128-SHA"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384), "ECDHE-ECDSA-CAMELLIA256-SHA384"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256), "ECDHE-ECDSA-CAMELLIA128-SHA256"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384), "ECDHE-ECDSA-ARIA256-GCM-SHA384"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256), "ECDHE-ECDSA-ARIA128-GCM-SHA256"),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384), null),
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256] = (nameof(CipherSuite.TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256), null),
            [CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384), "ECDHE-RSA-AES256-GCM-SHA384"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), "ECDHE-RSA-AES128-GCM-SHA256"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256), "ECDHE-RSA-CHACHA20-POLY1305"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384), "ECDHE-RSA-AES256-SHA384"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256), "ECDHE-RSA-AES128-SHA256"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA), "ECDHE-RSA-AES256-SHA"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA), "ECDHE-RSA-AES128-SHA"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA), "ECDHE-RSA-DES-CBC3-SHA"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384), "ECDHE-RSA-CAMELLIA256-SHA384"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256), "ECDHE-RSA-CAMELLIA128-SHA256"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384), "ECDHE-ARIA256-GCM-SHA384"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256), "ECDHE-ARIA128-GCM-SHA256"),
            [CipherSuite.TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384), null),
            [CipherSuite.TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256] = (nameof(CipherSuite.TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256), null),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384), "DHE-RSA-AES256-GCM-SHA384"),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256), "DHE-RSA-AES128-GCM-SHA256"),
            [CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256), "DHE-RSA-CHACHA20-POLY1305"),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_256_CCM] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_256_CCM), "DHE-RSA-AES256-CCM"),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_128_CCM] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_128_CCM), "DHE-RSA-AES128-CCM"),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_256_CCM_8] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_256_CCM_8), "DHE-RSA-AES256-CCM8"),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_128_CCM_8] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_128_CCM_8), "DHE-RSA-AES128-CCM8"),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256), "DHE-RSA-AES256-SHA256"),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256), "DHE-RSA-AES128-SHA256"),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA), "DHE-RSA-AES256-SHA"),
            [CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA), "DHE-RSA-AES128-SHA"),
            [CipherSuite.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA] = (nameof(CipherSuite.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA), "DHE-RSA-DES-CBC3-SHA"),
            [CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384] = (nameof(CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384), "AES256-GCM-SHA384"),
            [CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256] = (nameof(CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256), "AES128-GCM-SHA256"),
            [CipherSuite.TLS_RSA_WITH_AES_256_CCM] = (nameof(CipherSuite.TLS_RSA_WITH_AES_256_CCM), "AES256-CCM"),
            [CipherSuite.TLS_RSA_WITH_AES_128_CCM] = (nameof(CipherSuite.TLS_RSA_WITH_AES_128_CCM), "AES128-CCM"),
            [CipherSuite.TLS_RSA_WITH_AES_256_CCM_8] = (nameof(CipherSuite.TLS_RSA_WITH_AES_256_CCM_8), "AES256-CCM8"),
            [CipherSuite.TLS_RSA_WITH_AES_128_CCM_8] = (nameof(CipherSuite.TLS_RSA_WITH_AES_128_CCM_8), "AES128-CCM8"),
            [CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256] = (nameof(CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256), "AES256-SHA256"),
            [CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256] = (nameof(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256), "AES128-SHA256"),
            [CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA] = (nameof(CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA), "AES256-SHA"),
            [CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA] = (nameof(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA), "AES128-SHA"),
            [CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA] = (nameof(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA), "DES-CBC3-SHA"),
            [CipherSuite.TLS_SM4_GCM_SM3] = (nameof(CipherSuite.TLS_SM4_GCM_SM3), null),
            [CipherSuite.TLS_SM4_CCM_SM3] = (nameof(CipherSuite.TLS_SM4_CCM_SM3), null),
        };
}
