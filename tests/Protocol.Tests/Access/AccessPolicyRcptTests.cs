using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

/// <summary>SPEC R60–R62 at the policy level, and the classic To: decisions of a recipient.</summary>
public class AccessPolicyRcptTests
{
    private const string Recipient = "x@remote.example";
    private const string Denied = "550 5.7.1 <x@remote.example>... Relaying denied";
    private const string ExampleIssuer = "/C=US/O=Example+20Corp/CN=Example+20Issuing+20CA";
    private const string PartnerIssuer = "/C=US/O=Partner/CN=Partner+20CA";
    private const string Relay1 = "/C=US/O=Example+20Corp/CN=relay1.example.com";
    private const string Relay2 = "/C=US/O=Example+20Corp/CN=relay2.example.com";

    private static readonly AccessMap ExampleC = AccessMap.Parse(
        """
        CertIssuer:/C=US/O=Example+20Corp/CN=Example+20Issuing+20CA   SUBJECT
        CertSubject:/C=US/O=Example+20Corp/CN=relay1.example.com        RELAY
        CertIssuer:/C=US/O=Partner/CN=Partner+20CA                      RELAY
        """,
        "access");

    [Theory]
    [InlineData("OK", Relay1, ExampleIssuer, "")]
    [InlineData("OK", Relay2, ExampleIssuer, Denied)]
    [InlineData("OK", "/C=US/O=Anyone/CN=whatever.example", PartnerIssuer, "")]
    [InlineData("FAIL", "/C=US/O=Anyone/CN=whatever.example", PartnerIssuer, Denied)]
    [InlineData("NO", "", "", Denied)]
    [InlineData("NOT", "", "", Denied)]
    public void R62_each_row_of_example_c(string verify, string subject, string issuer, string expected)
    {
        var answer = AccessPolicy.Rcpt(ExampleC, AccessPolicySettings.Default, Recipient, local: false, clientMayRelay: false, verify, issuer, subject);

        Assert.Equal(expected.Length == 0 ? VerdictKind.Relay : VerdictKind.Reject, answer.Verdict.Kind);
        Assert.Equal(expected, answer.Verdict.Reply);
    }

    [Fact]
    public void R62_row_1_looks_up_the_recipient_then_the_issuer_then_the_subject()
    {
        var answer = AccessPolicy.Rcpt(ExampleC, AccessPolicySettings.Default, Recipient, local: false, clientMayRelay: false, "OK", ExampleIssuer, Relay1);

        Assert.Equal(3, answer.Lookups.Count);
        Assert.False(answer.Lookups[0].Found);
        Assert.Equal(["CertIssuer:" + ExampleIssuer], answer.Lookups[1].Tried);
        Assert.Equal("SUBJECT", answer.Lookups[1].Value);
        Assert.Equal(["CertSubject:" + Relay1], answer.Lookups[2].Tried);
        Assert.Equal("RELAY", answer.Lookups[2].Value);
    }

    [Theory]
    [InlineData(Relay1, "")]
    [InlineData(Relay2, Denied)]
    public void R61_a_subject_regex_lets_the_map_list_the_cn_alone(string subject, string expected)
    {
        var map = AccessMap.Parse(
            """
            CertIssuer:/C=US/O=Example+20Corp/CN=Example+20Issuing+20CA   SUBJECT
            CertSubject:relay1.example.com  RELAY
            """,
            "access");
        var settings = new AccessPolicySettings(SubjectRegex: CertRegex.Parse("-s1 /CN=([^/]*)", out _));

        var answer = AccessPolicy.Rcpt(map, settings, Recipient, local: false, clientMayRelay: false, "OK", ExampleIssuer, subject);

        Assert.Equal(expected, answer.Verdict.Reply);
        Assert.Equal(["CertSubject:" + subject[(subject.LastIndexOf('=') + 1)..]], answer.Lookups[2].Tried);
    }

    [Theory]
    [InlineData("To:remote.example REJECT", "550 5.7.1 Access denied")]
    [InlineData("To:x@remote.example ERROR:\"550 5.1.1 No such user\"", "550 5.1.1 No such user")]
    [InlineData("x@ ERROR:4.2.2:452 Mailbox full", "452 4.2.2 Mailbox full")]
    public void A_refusing_to_entry_beats_every_grant(string entry, string expected)
    {
        var map = AccessMap.Parse($"{entry}\nCertIssuer:{PartnerIssuer} RELAY\n", "access");

        var local = AccessPolicy.Rcpt(map, AccessPolicySettings.Default, Recipient, local: true, clientMayRelay: true, "OK", PartnerIssuer, "");
        var remote = AccessPolicy.Rcpt(map, AccessPolicySettings.Default, Recipient, local: false, clientMayRelay: true, "OK", PartnerIssuer, "");

        Assert.Equal(expected, local.Verdict.Reply);
        Assert.Equal(expected, remote.Verdict.Reply);
        Assert.Single(remote.Lookups);
    }

    [Fact]
    public void A_discarding_to_entry_is_discard()
    {
        var map = AccessMap.Parse("To:remote.example DISCARD", "access");

        var answer = AccessPolicy.Rcpt(map, AccessPolicySettings.Default, Recipient, local: false, clientMayRelay: true, "", "", "");

        Assert.Equal(VerdictKind.Discard, answer.Verdict.Kind);
    }

    [Fact]
    public void A_local_domain_is_accepted_without_relaying()
    {
        var answer = AccessPolicy.Rcpt(AccessMap.Empty, AccessPolicySettings.Default, "u@local.example", local: true, clientMayRelay: false, "", "", "");

        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
        Assert.Single(answer.Lookups);
    }

    [Theory]
    [InlineData("To:remote.example RELAY")]
    [InlineData("remote.example RELAY")]
    [InlineData("To:x@remote.example RELAY")]
    public void A_to_relay_entry_grants_relaying_to_its_domain(string entry)
    {
        var map = AccessMap.Parse(entry, "access");

        var answer = AccessPolicy.Rcpt(map, AccessPolicySettings.Default, Recipient, local: false, clientMayRelay: false, "", "", "");

        Assert.Equal(VerdictKind.Relay, answer.Verdict.Kind);
    }

    [Fact]
    public void A_to_ok_entry_does_not_grant_relaying()
    {
        var map = AccessMap.Parse("To:remote.example OK", "access");

        var answer = AccessPolicy.Rcpt(map, AccessPolicySettings.Default, Recipient, local: false, clientMayRelay: false, "", "", "");

        Assert.Equal(Denied, answer.Verdict.Reply);
    }

    [Fact]
    public void A_client_that_may_relay_is_granted()
    {
        var answer = AccessPolicy.Rcpt(AccessMap.Empty, AccessPolicySettings.Default, Recipient, local: false, clientMayRelay: true, "", "", "");

        Assert.Equal(VerdictKind.Relay, answer.Verdict.Kind);
    }

    [Fact]
    public void R60_a_verified_certificate_alone_does_not_grant_relaying()
    {
        var answer = AccessPolicy.Rcpt(AccessMap.Empty, AccessPolicySettings.Default, Recipient, local: false, clientMayRelay: false, "OK", PartnerIssuer, Relay1);

        Assert.Equal(Denied, answer.Verdict.Reply);
    }
}
