using Gateway.Protocol.Tls;
using Org.BouncyCastle.Tls;

namespace Gateway.Protocol.Tests.Tls;

public class CipherNamesTests
{
    // SPEC R49's table, bits from R46.
    [Theory]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384", 256, 256)]
    [InlineData(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256", 256, 256)]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256", 128, 128)]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE-RSA-AES256-GCM-SHA384", 256, 256)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE-ECDSA-AES256-GCM-SHA384", 256, 256)]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE-RSA-AES128-GCM-SHA256", 128, 128)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "ECDHE-ECDSA-AES128-GCM-SHA256", 128, 128)]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA-CHACHA20-POLY1305", 256, 256)]
    [InlineData(CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, "DHE-RSA-AES256-GCM-SHA384", 256, 256)]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, "ECDHE-RSA-AES128-SHA256", 128, 128)]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA, "AES256-SHA", 256, 256)]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, "AES128-SHA", 128, 128)]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, "AES128-GCM-SHA256", 128, 128)]
    public void R49_rows_have_openssl_names_and_bits(int suite, string name, int cipherBits, int algBits)
    {
        Assert.Equal(name, CipherNames.OpenSslName(suite));
        Assert.Equal((cipherBits, algBits), CipherNames.Bits(suite));
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-ECDSA-CHACHA20-POLY1305", 256)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, "ECDHE-ECDSA-AES128-SHA", 128)]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, "ECDHE-RSA-AES256-SHA384", 256)]
    [InlineData(CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "DHE-RSA-CHACHA20-POLY1305", 256)]
    [InlineData(CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA, "DHE-RSA-AES128-SHA", 128)]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384, "AES256-GCM-SHA384", 256)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, "ECDHE-ECDSA-AES128-CCM8", 128)]
    [InlineData(CipherSuite.TLS_AES_128_CCM_SHA256, "TLS_AES_128_CCM_SHA256", 128)]
    public void Other_suites_bouncycastle_negotiates_have_openssl_names_too(int suite, string name, int bits)
    {
        Assert.Equal(name, CipherNames.OpenSslName(suite));
        Assert.Equal((bits, bits), CipherNames.Bits(suite));
    }

    [Fact]
    public void R46_3des_has_168_nominal_and_112_effective_bits()
    {
        Assert.Equal("DES-CBC3-SHA", CipherNames.OpenSslName(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA));
        Assert.Equal((112, 168), CipherNames.Bits(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA));
    }

    [Fact]
    public void A_suite_openssl_has_no_name_for_is_shown_by_its_iana_name()
    {
        Assert.Equal("TLS_SM4_GCM_SM3", CipherNames.OpenSslName(CipherSuite.TLS_SM4_GCM_SM3));
        Assert.Equal((128, 128), CipherNames.Bits(CipherSuite.TLS_SM4_GCM_SM3));
    }

    [Fact]
    public void A_code_outside_the_table_is_shown_in_hex_with_no_bits()
    {
        Assert.Equal("0xFAFA", CipherNames.OpenSslName(0xFAFA));
        Assert.Equal("0xFAFA", CipherNames.IanaName(0xFAFA));
        Assert.Equal((0, 0), CipherNames.Bits(0xFAFA));
    }

    [Fact]
    public void The_iana_name_is_the_registry_name()
    {
        Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", CipherNames.IanaName(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
    }

    [Fact]
    public void Every_named_suite_has_bits_from_its_symmetric_cipher_and_a_name_within_r81s_64_characters()
    {
        foreach (var suite in CipherNames.Known)
        {
            var (cipherBits, algBits) = CipherNames.Bits(suite);
            var name = CipherNames.OpenSslName(suite);

            Assert.True(cipherBits >= 112 && algBits >= cipherBits, name);
            Assert.InRange(name.Length, 1, 64);
            Assert.DoesNotContain("0x", name, StringComparison.Ordinal);
        }
    }
}
