using System.Text;
using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1.X509;
using static Gateway.Protocol.Tests.Tls.Names;

namespace Gateway.Protocol.Tests.Tls;

public class CommonNameTests
{
    [Fact]
    public void The_first_cn_is_taken_as_raw_utf8_bytes_and_encoded_per_r44()
    {
        var name = OpenSslStyle((X509Name.C, "DE"), (X509Name.CN, "Müller"), (X509Name.CN, "second"));

        var cn = CommonName.Extract(name);

        Assert.Equal(CnError.None, cn.Error);
        Assert.Equal(Encoding.UTF8.GetBytes("Müller"), cn.Value);
        Assert.Equal("M+C3+BCller", cn.Macro);
        Assert.Null(cn.LogStatus);
    }

    [Fact]
    public void A_cn_inside_a_multi_valued_rdn_is_found_without_escapes()
    {
        var name = Of([Printable(X509Name.C, "US")], [Utf8(X509Name.O, "Acme"), Utf8(X509Name.CN, "a/b+c (d)")]);

        var cn = CommonName.Extract(name);

        Assert.Equal("a/b+c (d)", Encoding.ASCII.GetString(cn.Value!));
        Assert.Equal("a/b+2Bc+20+28d+29", cn.Macro);
    }

    [Fact]
    public void R86_a_cn_spelled_inside_o_is_not_a_cn()
    {
        var name = OpenSslStyle((X509Name.C, "US"), (X509Name.O, "Example Corp/CN=relay1.example.com"));

        var cn = CommonName.Extract(name);

        Assert.Equal(new CnResult(null, CnError.Unknown), cn);
        Assert.Equal("BadCertificateUnknown", cn.Macro);
        Assert.Equal("failed to extract CN", cn.LogStatus);
        Assert.Equal(8, cn.LogLevelAbove);
    }

    [Fact]
    public void A_cn_of_254_bytes_is_kept()
    {
        var cn = CommonName.Extract(Flat(Utf8(X509Name.CN, new string('c', 254))));

        Assert.Equal(CnError.None, cn.Error);
        Assert.Equal(254, cn.Value!.Length);
    }

    [Fact]
    public void A_cn_of_255_bytes_is_too_long()
    {
        var cn = CommonName.Extract(Flat(Utf8(X509Name.CN, new string('c', 254) + "é")));

        Assert.Equal(CnError.TooLong, cn.Error);
        Assert.Null(cn.Value);
        Assert.Equal("BadCertificateTooLong", cn.Macro);
        Assert.Equal("CN too long", cn.LogStatus);
        Assert.Equal(7, cn.LogLevelAbove);
    }

    [Fact]
    public void A_cn_with_an_embedded_nul_is_refused()
    {
        var cn = CommonName.Extract(Flat(Utf8(X509Name.CN, "relay1.example.com\0.evil.example")));

        Assert.Equal(CnError.ContainsNul, cn.Error);
        Assert.Equal("BadCertificateContainsNUL", cn.Macro);
        Assert.Equal("CN contains NUL", cn.LogStatus);
        Assert.Equal(7, cn.LogLevelAbove);
    }

    [Fact]
    public void A_bmp_string_cn_has_zero_bytes_and_so_contains_nul_as_in_sendmail()
    {
        var cn = CommonName.Extract(Flat(Bmp(X509Name.CN, "bmp.example")));

        Assert.Equal(CnError.ContainsNul, cn.Error);
    }

    [Fact]
    public void Too_long_is_checked_before_nul_like_sendmail()
    {
        var cn = CommonName.Extract(Flat(Bmp(X509Name.CN, new string('c', 128))));

        Assert.Equal(CnError.TooLong, cn.Error);
    }
}
