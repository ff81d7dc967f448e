using Gateway.Tests.Support;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Gateway.Tests.Access;

/// <summary>SPEC R62 (worked example C) and its R61 regex form: relaying granted by the client certificate's DNs.</summary>
public sealed partial class WorkedExamplesTests
{
    // R62's map as the spec writes it: the DNs are in the encoded one-line form the gateway gives
    // {cert_issuer} and {cert_subject} (R42, R44: a space is +20), so a rendering slip shows up as 550.
    private const string ExampleC = """
        CertIssuer:/C=US/O=Example+20Corp/CN=Example+20Issuing+20CA   SUBJECT
        CertSubject:/C=US/O=Example+20Corp/CN=relay1.example.com        RELAY
        CertIssuer:/C=US/O=Partner/CN=Partner+20CA                      RELAY
        """;

    // R61's example: the subject regex keeps only the CN, so the subject entry names the host alone.
    private const string ExampleCWithRegex = """
        CertIssuer:/C=US/O=Example+20Corp/CN=Example+20Issuing+20CA   SUBJECT
        CertSubject:relay1.example.com                                  RELAY
        """;

    private const string RelayingDenied = "550 5.7.1 <x@remote.example>... Relaying denied";

    [Theory]
    [InlineData("relay1", true)]         // issuer → SUBJECT, subject → RELAY
    [InlineData("relay2", false)]        // same issuer, subject not listed
    [InlineData("partner", true)]        // any subject, issuer → RELAY
    [InlineData("partner-expired", false)] // {verify}=FAIL: not TLS-relayed
    [InlineData(null, false)]            // no certificate, {verify}=NO
    public async Task Example_C_relays_by_the_client_certificate_and_only_as_the_map_says(string? certificate, bool relayed)
    {
        var node = await StartAsync(ExampleC);

        var reply = await RcptOverTlsAsync(node, certificate);

        if (relayed)
        {
            Assert.StartsWith("250 ", reply);
        }
        else
        {
            Assert.Equal(RelayingDenied, reply);
        }
    }

    [Theory]
    [InlineData("relay1", true)]
    [InlineData("relay2", false)]
    public async Task Example_C_with_a_subject_regex_looks_the_subject_up_by_its_CN(string certificate, bool relayed)
    {
        var node = await StartAsync(ExampleCWithRegex, "--Access:CertRegexSubject=-s1 /CN=([^/]*)");

        var reply = await RcptOverTlsAsync(node, certificate);

        if (relayed)
        {
            Assert.StartsWith("250 ", reply);
        }
        else
        {
            Assert.Equal(RelayingDenied, reply);
        }
    }

    private async Task<string?> RcptOverTlsAsync(TestNode node, string? certificate)
    {
        await using var smtp = await OpenTlsAsync(node, "127.0.0.1", certificate is null ? null : _pki.ClientCertificate(certificate));
        Assert.StartsWith("250 ", await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
        return await smtp.CommandAsync("RCPT TO:<x@remote.example>");
    }

    /// <summary>
    /// R62's two issuers and four client certificates; returns a CA file trusting them and the PKI's own CA
    /// (whose "client" certificate example A uses).
    /// </summary>
    private string IssueExampleC()
    {
        var now = DateTime.UtcNow;
        var (from, to) = (now.AddDays(-1), now.AddYears(1));
        var example = TestPki.CreateCa(Name("US", "Example Corp", "Example Issuing CA"));
        var partner = TestPki.CreateCa(Name("US", "Partner", "Partner CA"));
        _pki.AddClient("relay1", example, Name("US", "Example Corp", "relay1.example.com"), from, to);
        _pki.AddClient("relay2", example, Name("US", "Example Corp", "relay2.example.com"), from, to);
        _pki.AddClient("partner", partner, Name("US", "Partner", "mta.partner.example"), from, to);
        _pki.AddClient("partner-expired", partner, Name("US", "Partner", "old.partner.example"), now.AddDays(-30), now.AddDays(-1));
        return _pki.WriteCaFile("trusted.crt", _pki.Ca, example, partner);
    }

    /// <summary>C, O, CN in that encoded order, the order the one-line form keeps (R42 step 1).</summary>
    private static X509Name Name(string country, string organization, string commonName) =>
        new(new List<DerObjectIdentifier> { X509Name.C, X509Name.O, X509Name.CN }, new List<string> { country, organization, commonName });
}
