using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Tls;
using static Gateway.Protocol.Tests.Tls.Names;

namespace Gateway.Protocol.Tests.Tls;

public class TlsFactsTests
{
    private static readonly X509CertificateStructure Client = Certificates.Issue(
        OpenSslStyle((X509Name.C, "US"), (X509Name.O, "Quote\"Plus+Corp"), (X509Name.CN, "odd<name>.example")),
        OpenSslStyle((X509Name.C, "US"), (X509Name.O, "Relay Trust"), (X509Name.CN, "Relay Trust CA")));

    [Fact]
    public void None_is_inactive_and_every_macro_is_empty()
    {
        var none = TlsFacts.None;

        Assert.False(none.Active);
        Assert.All(none.Macros(), macro => Assert.Equal("", macro.Value));
        Assert.Equal(CnError.None, none.CnSubjectError);
    }

    [Fact]
    public void Macros_come_in_r40_order_with_their_sendmail_names()
    {
        var facts = TlsFacts.Build(ProtocolVersion.TLSv13, CipherSuite.TLS_AES_256_GCM_SHA384, VerifyValues.Ok, Client, DnFormat.OpenSsl3);

        var names = facts.Macros().Select(m => m.Key);

        Assert.Equal(
            ["{tls_version}", "{cipher}", "{cipher_bits}", "{alg_bits}", "{verify}", "{cert_subject}", "{cert_issuer}",
             "{cn_subject}", "{cn_issuer}", "{cert_md5}"],
            names);
    }

    [Fact]
    public void A_client_certificate_fills_the_dn_cn_and_fingerprint_macros_encoded()
    {
        var facts = TlsFacts.Build(ProtocolVersion.TLSv12, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, VerifyValues.Ok, Client, DnFormat.OpenSsl3);

        var macros = facts.Macros().ToDictionary(m => m.Key, m => m.Value);

        Assert.True(facts.Active);
        Assert.Equal("TLSv1.2", macros["{tls_version}"]);
        Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", macros["{cipher}"]);
        Assert.Equal("128", macros["{cipher_bits}"]);
        Assert.Equal("128", macros["{alg_bits}"]);
        Assert.Equal("OK", macros["{verify}"]);
        Assert.Equal("/C=US/O=Quote+22Plus+5C+2BCorp/CN=odd+3Cname+3E.example", macros["{cert_subject}"]);
        Assert.Equal("/C=US/O=Relay+20Trust/CN=Relay+20Trust+20CA", macros["{cert_issuer}"]);
        Assert.Equal("odd+3Cname+3E.example", macros["{cn_subject}"]);
        Assert.Equal("Relay+20Trust+20CA", macros["{cn_issuer}"]);
        Assert.Equal(Fingerprint.Of(Client.GetEncoded()), macros["{cert_md5}"]);
    }

    [Fact]
    public void The_legacy_format_changes_only_the_dn_macros()
    {
        var legacy = TlsFacts.Build(ProtocolVersion.TLSv13, CipherSuite.TLS_AES_128_GCM_SHA256, VerifyValues.Ok, Client, DnFormat.Legacy);
        var openSsl3 = TlsFacts.Build(ProtocolVersion.TLSv13, CipherSuite.TLS_AES_128_GCM_SHA256, VerifyValues.Ok, Client, DnFormat.OpenSsl3);

        Assert.Equal("/C=US/O=Quote+22Plus+2BCorp/CN=odd+3Cname+3E.example", legacy.CertSubject);
        Assert.Equal(openSsl3 with { CertSubject = legacy.CertSubject }, legacy);
    }

    [Fact]
    public void Without_a_peer_certificate_the_dn_cn_and_fingerprint_macros_are_empty()
    {
        var facts = TlsFacts.Build(ProtocolVersion.TLSv13, CipherSuite.TLS_AES_256_GCM_SHA384, VerifyValues.No, null, DnFormat.OpenSsl3);

        Assert.Equal(
            new TlsFacts("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256, 256, "NO", "", "", "", "", ""),
            facts);
    }

    [Fact]
    public void Cn_errors_are_recorded_beside_sendmails_placeholder_values()
    {
        var leaf = Certificates.Issue(
            OpenSslStyle((X509Name.C, "US"), (X509Name.O, "No CN Inc")),
            Flat(Utf8(X509Name.CN, "bad\0ca")));

        var facts = TlsFacts.Build(ProtocolVersion.TLSv13, CipherSuite.TLS_AES_256_GCM_SHA384, VerifyValues.Fail, leaf, DnFormat.OpenSsl3);

        Assert.Equal(CnError.Unknown, facts.CnSubjectError);
        Assert.Equal("BadCertificateUnknown", facts.CnSubject);
        Assert.Equal(CnError.ContainsNul, facts.CnIssuerError);
        Assert.Equal("BadCertificateContainsNUL", facts.CnIssuer);
        Assert.Equal("/CN=bad\\x00ca", HexQuoting.Decode(facts.CertIssuer));
    }

    [Fact]
    public void R68_received_comment_uses_cipher_bits()
    {
        var facts = TlsFacts.Build(ProtocolVersion.TLSv13, CipherSuite.TLS_AES_256_GCM_SHA384, VerifyValues.No, null, DnFormat.OpenSsl3);

        Assert.Equal("(version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NO)", facts.ReceivedComment());
        Assert.Equal("version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NO", facts.ReceivedCommentText());
    }

    [Fact]
    public void R69_second_example_comment()
    {
        var facts = TlsFacts.Build(ProtocolVersion.TLSv12, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, VerifyValues.Not, null, DnFormat.OpenSsl3);

        Assert.Equal("(version=TLSv1.2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128 verify=NOT)", facts.ReceivedComment());
    }

    [Fact]
    public void R80_log_summary_puts_alg_bits_before_cipher_bits()
    {
        var facts = TlsFacts.Build(ProtocolVersion.TLSv12, CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA, VerifyValues.Not, null, DnFormat.OpenSsl3);

        var line = facts.LogSummary("client.example.org [192.0.2.10]");

        Assert.Equal(
            "STARTTLS=server, relay=client.example.org [192.0.2.10], version=TLSv1.2, verify=NOT, cipher=DES-CBC3-SHA, bits=168/112",
            line);
    }

    [Fact]
    public void R81_long_fields_are_cut_to_their_limits()
    {
        var facts = new TlsFacts(new string('v', 20), new string('c', 70), 1234567, 7654321, new string('x', 20), "", "", "", "", "");

        var line = facts.LogSummary(new string('r', 150));

        Assert.Equal(
            $"STARTTLS=server, relay={new string('r', 100)}, version={new string('v', 16)}, verify={new string('x', 16)}, "
            + $"cipher={new string('c', 64)}, bits=765432/123456",
            line);
    }
}
