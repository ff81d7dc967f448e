using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

/// <summary>SPEC R58 (worked example A) at the policy level: the lookups, the first hit and the verdict of each row.</summary>
public class AccessPolicyTlsClientTests
{
    private static readonly AccessMap Map = AccessMap.Parse(
        """
        TLS_Clt:laptops.example.com   PERM+VERIFY:112
        TLS_Clt:10.1                  ENCR:128
        Srv_Features:laptops.example.com   v
        Srv_Features:                      V
        """,
        "access");

    private static readonly string[] LaptopLookups = ["TLS_Clt:pc7.laptops.example.com", "TLS_Clt:laptops.example.com"];

    private static readonly string[] BracketLookups =
    [
        "TLS_Clt:[10.1.4.5]", "TLS_Clt:[10.1.4]", "TLS_Clt:[10.1]", "TLS_Clt:[10]",
        "TLS_Clt:10.1.4.5", "TLS_Clt:10.1.4", "TLS_Clt:10.1",
    ];

    [Fact]
    public void R58_row_1_a_verified_laptop_with_256_bits_is_accepted()
    {
        var answer = AccessPolicy.TlsClient(Map, AccessPolicySettings.Default, new TlsCheckInput("OK", 256), "pc7.laptops.example.com", "192.0.2.7", "STARTTLS");

        var lookup = Assert.Single(answer.Lookups);
        Assert.Equal(LaptopLookups, lookup.Tried);
        Assert.Equal("TLS_Clt:laptops.example.com", lookup.MatchedKey);
        Assert.Equal("PERM+VERIFY:112", lookup.Value);
        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
    }

    [Fact]
    public void R58_row_2_the_laptop_is_asked_for_a_certificate_by_v()
    {
        var answer = AccessPolicy.SrvFeatures(Map, "pc7.laptops.example.com", "192.0.2.7");

        var lookup = Assert.Single(answer.Lookups);
        Assert.Equal(["Srv_Features:pc7.laptops.example.com", "Srv_Features:laptops.example.com"], lookup.Tried);
        Assert.Equal(new ServerFeatures(null, true), answer.Features);
    }

    [Fact]
    public void R58_row_2_a_laptop_without_a_certificate_gets_503_not_authenticated()
    {
        var answer = AccessPolicy.TlsClient(Map, AccessPolicySettings.Default, new TlsCheckInput("NO", 256), "pc7.laptops.example.com", "192.0.2.7", "STARTTLS");

        Assert.Equal(LaptopLookups, answer.Lookups[0].Tried);
        Assert.Equal("TLS_Clt:laptops.example.com", answer.Lookups[0].MatchedKey);
        Assert.Equal("503 5.7.0 not authenticated", answer.Verdict.Reply);
    }

    [Fact]
    public void R58_row_3_a_laptop_without_starttls_gets_503_authentication_required_at_mail()
    {
        var answer = AccessPolicy.TlsClient(Map, AccessPolicySettings.Default, new TlsCheckInput("", 0), "pc7.laptops.example.com", "192.0.2.7", "MAIL");

        Assert.Equal(LaptopLookups, answer.Lookups[0].Tried);
        Assert.Equal("TLS_Clt:laptops.example.com", answer.Lookups[0].MatchedKey);
        Assert.Equal("503 5.7.0 authentication required", answer.Verdict.Reply);
    }

    [Fact]
    public void R58_row_4_the_default_srv_features_entry_asks_no_certificate()
    {
        var answer = AccessPolicy.SrvFeatures(Map, "[10.1.4.5]", "10.1.4.5");

        var lookup = Assert.Single(answer.Lookups);
        Assert.Equal(
            [
                "Srv_Features:[10.1.4.5]", "Srv_Features:[10.1.4]", "Srv_Features:[10.1]", "Srv_Features:[10]",
                "Srv_Features:10.1.4.5", "Srv_Features:10.1.4", "Srv_Features:10.1", "Srv_Features:10",
                "Srv_Features:",
            ],
            lookup.Tried);
        Assert.Equal("Srv_Features:", lookup.MatchedKey);
        Assert.Equal(new ServerFeatures(null, false), answer.Features);
    }

    [Fact]
    public void R58_row_4_an_address_without_ptr_is_accepted_by_its_prefix_with_256_bits()
    {
        var answer = AccessPolicy.TlsClient(Map, AccessPolicySettings.Default, new TlsCheckInput("NOT", 256), "[10.1.4.5]", "10.1.4.5", "STARTTLS");

        var lookup = Assert.Single(answer.Lookups);
        Assert.Equal(BracketLookups, lookup.Tried);
        Assert.Equal("TLS_Clt:10.1", lookup.MatchedKey);
        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
    }

    [Fact]
    public void R58_row_5_the_same_address_without_starttls_is_too_weak_at_mail()
    {
        var answer = AccessPolicy.TlsClient(Map, AccessPolicySettings.Default, new TlsCheckInput("", 0), "[10.1.4.5]", "10.1.4.5", "MAIL");

        Assert.Equal(BracketLookups, answer.Lookups[0].Tried);
        Assert.Equal("TLS_Clt:10.1", answer.Lookups[0].MatchedKey);
        Assert.Equal("454 4.7.0 encryption too weak 0 less than 128", answer.Verdict.Reply);
    }

    [Theory]
    [InlineData("OK", 256)]
    [InlineData("NONE", 0)]
    [InlineData("", 0)]
    public void R58_row_6_a_host_without_an_entry_is_accepted_with_or_without_tls(string verify, int bits)
    {
        var answer = AccessPolicy.TlsClient(Map, AccessPolicySettings.Default, new TlsCheckInput(verify, bits), "mail.other.example", "198.51.100.9", "MAIL");

        var lookup = Assert.Single(answer.Lookups);
        Assert.Equal(
            [
                "TLS_Clt:mail.other.example", "TLS_Clt:other.example", "TLS_Clt:example",
                "TLS_Clt:198.51.100.9", "TLS_Clt:198.51.100", "TLS_Clt:198.51", "TLS_Clt:198",
                "TLS_Clt:",
            ],
            lookup.Tried);
        Assert.False(lookup.Found);
        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
    }

    [Fact]
    public void The_reply_code_style_of_the_settings_is_used()
    {
        var settings = new AccessPolicySettings(ReplyCodeStyle.Rfc);

        var answer = AccessPolicy.TlsClient(Map, settings, new TlsCheckInput("NO", 256), "pc7.laptops.example.com", "192.0.2.7", "STARTTLS");

        Assert.Equal("554 5.7.0 not authenticated", answer.Verdict.Reply);
    }

    [Theory]
    [InlineData("/C=DE/O=Bank+20CA/CN=Bank+20Root", "")]
    [InlineData("/C=US/O=Other/CN=X", "454 4.7.0 Cert Issuer /C=US/O=Other/CN=X not acceptable")]
    public void A_citag_requirement_looks_the_issuer_up_in_the_same_map(string issuer, string expected)
    {
        var map = AccessMap.Parse(
            """
            TLS_Clt:partner.example   VERIFY+CN++CITag:BankCA
            BankCA:/C=DE/O=Bank+20CA/CN=Bank+20Root   OK
            """,
            "access");
        var input = new TlsCheckInput("OK", 256, CnSubject: "mx.partner.example", CertIssuer: issuer, PeerName: "mx.partner.example");

        var answer = AccessPolicy.TlsClient(map, AccessPolicySettings.Default, input, "mx.partner.example", "192.0.2.8", "STARTTLS");

        Assert.Equal(expected, answer.Verdict.Reply);
    }
}
