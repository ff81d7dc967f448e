using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

public class RelayTlsTests
{
    private const string ExampleIssuer = "/C=US/O=Example+20Corp/CN=Example+20Issuing+20CA";
    private const string PartnerIssuer = "/C=US/O=Partner/CN=Partner+20CA";
    private const string Relay1 = "/C=US/O=Example+20Corp/CN=relay1.example.com";

    private static readonly AccessMap Map = AccessMap.Parse(
        $"""
        CertIssuer:{ExampleIssuer}   SUBJECT
        CertSubject:{Relay1}        RELAY
        CertIssuer:{PartnerIssuer}                      RELAY
        """,
        "access");

    [Theory]
    [InlineData("OK")]
    [InlineData("TRUSTED")]
    public void R60_a_verified_certificate_of_a_relay_issuer_grants_relaying(string verify)
    {
        var (verdict, lookups) = RelayTls.Check(Map, verify, PartnerIssuer, "/CN=anyone", null, null);

        Assert.Equal(VerdictKind.Relay, verdict.Kind);
        Assert.Equal(["CertIssuer:" + PartnerIssuer], Assert.Single(lookups).Tried);
    }

    [Theory]
    [InlineData("FAIL")]
    [InlineData("NO")]
    [InlineData("NOT")]
    [InlineData("NONE")]
    [InlineData("")]
    public void R60_an_unverified_certificate_decides_nothing_and_looks_nothing_up(string verify)
    {
        var (verdict, lookups) = RelayTls.Check(Map, verify, PartnerIssuer, Relay1, null, null);

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Empty(lookups);
    }

    [Fact]
    public void R60_an_issuer_saying_subject_needs_the_subject_listed()
    {
        var (verdict, lookups) = RelayTls.Check(Map, "OK", ExampleIssuer, Relay1, null, null);

        Assert.Equal(VerdictKind.Relay, verdict.Kind);
        Assert.Equal(["CertIssuer:" + ExampleIssuer, "CertSubject:" + Relay1], lookups.Select(l => l.MatchedKey));
    }

    [Fact]
    public void R60_an_unlisted_subject_decides_nothing()
    {
        var (verdict, lookups) = RelayTls.Check(Map, "OK", ExampleIssuer, "/C=US/O=Example+20Corp/CN=relay2.example.com", null, null);

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal(2, lookups.Count);
        Assert.False(lookups[1].Found);
    }

    [Fact]
    public void R60_a_verified_certificate_of_an_unlisted_issuer_decides_nothing_even_with_a_listed_subject()
    {
        var (verdict, lookups) = RelayTls.Check(Map, "OK", "/C=US/O=Public/CN=Public+20CA", Relay1, null, null);

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Single(lookups);
    }

    [Fact]
    public void R45_an_encoded_dn_matches_in_any_case()
    {
        var (verdict, _) = RelayTls.Check(Map, "OK", PartnerIssuer.ToUpperInvariant(), "", null, null);

        Assert.Equal(VerdictKind.Relay, verdict.Kind);
    }

    [Fact]
    public void R61_the_issuer_regex_transforms_the_issuer_before_the_lookup()
    {
        var map = AccessMap.Parse("CertIssuer:Partner+20CA RELAY", "access");
        var regex = CertRegex.Parse("-s1 /CN=([^/]*)", out _);

        var (verdict, lookups) = RelayTls.Check(map, "OK", PartnerIssuer, "", regex, null);

        Assert.Equal(VerdictKind.Relay, verdict.Kind);
        Assert.Equal(["CertIssuer:Partner+20CA"], lookups[0].Tried);
    }
}
