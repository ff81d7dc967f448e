using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

public class TlsRequirementCheckTests
{
    private static readonly Func<string, string?> NoMap = _ => null;

    [Theory]
    [InlineData(1, "OK", "VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "")]
    [InlineData(2, "NO", "VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 not authenticated")]
    [InlineData(3, "FAIL", "VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 authentication failed")]
    [InlineData(4, "NOT", "VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 no authentication requested")]
    [InlineData(5, "NONE", "VERIFY", 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 other side does not support STARTTLS")]
    [InlineData(6, "CLEAR", "VERIFY", 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 STARTTLS disabled locally")]
    [InlineData(7, "", "VERIFY", 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 authentication required")]
    [InlineData(8, "TEMP", "VERIFY", 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 authentication failure TEMP")]
    [InlineData(9, "OK", "VERIFY:128", 112, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 encryption too weak 112 less than 128")]
    [InlineData(10, "OK", "VERIFY:128", 112, 128, "", ReplyCodeStyle.Sendmail, "")]
    [InlineData(11, "FAIL", "ENCR:128", 256, 0, "", ReplyCodeStyle.Sendmail, "")]
    [InlineData(12, "NONE", "ENCR:128", 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 encryption too weak 0 less than 128")]
    [InlineData(13, "OK", "PERM+VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "")]
    [InlineData(14, "NO", "PERM+VERIFY:112", 256, 0, "", ReplyCodeStyle.Sendmail, "503 5.7.0 not authenticated")]
    [InlineData(15, "FAIL", "TEMP+ENCR:112", 56, 0, "", ReplyCodeStyle.Sendmail, "403 4.7.0 encryption too weak 56 less than 112")]
    [InlineData(16, "SOFTWARE", null, 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 TLS handshake failed.")]
    [InlineData(17, "SOFTWARE", "PERM+ENCR:1", 0, 0, "", ReplyCodeStyle.Sendmail, "503 5.7.0 TLS handshake failed.")]
    [InlineData(18, "PROTOCOL", null, 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 STARTTLS failed.")]
    [InlineData(19, "CONFIG", null, 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 STARTTLS temporarily not possible.")]
    [InlineData(20, "NO", "OK", 0, 0, "", ReplyCodeStyle.Sendmail, "")]
    [InlineData(21, "NO", null, 0, 0, "", ReplyCodeStyle.Sendmail, "")]
    [InlineData(22, "OK", "VERIFY+CN:mx.example.net", 256, 0, "MX.Example.NET", ReplyCodeStyle.Sendmail, "")]
    [InlineData(23, "OK", "VERIFY+CN:mx.example.net", 256, 0, "other.example.net", ReplyCodeStyle.Sendmail, "454 4.7.0 CN other.example.net does not match mx.example.net")]
    [InlineData(24, "TRUSTED", "VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "")]
    [InlineData(25, "OK", "verify:112", 256, 0, "", ReplyCodeStyle.Sendmail, "")]
    [InlineData(26, "NO", "VERIFY", 256, 0, "", ReplyCodeStyle.SendmailPermErr, "554 5.7.0 not authenticated")]
    public void R57_row_gives_the_result_of_the_table(
        int row, string verify, string? value, int cipherBits, int authSsf, string cnSubject, ReplyCodeStyle style, string expected)
    {
        var input = new TlsCheckInput(verify, cipherBits, authSsf, CnSubject: cnSubject);

        var verdict = TlsRequirementCheck.Evaluate(input, value, style, NoMap);

        Assert.InRange(row, 1, 26);
        Assert.Equal(expected.Length == 0 ? VerdictKind.Continue : VerdictKind.Reject, verdict.Kind);
        Assert.Equal(expected, verdict.Reply);
    }

    [Theory]
    [InlineData("NO", "VERIFY", "454 4.7.0 not authenticated")]
    [InlineData("NO", "TEMP+VERIFY", "454 4.7.0 not authenticated")]
    [InlineData("NO", "PERM+VERIFY", "554 5.7.0 not authenticated")]
    [InlineData("SOFTWARE", "TEMP+ENCR:1", "454 4.7.0 TLS handshake failed.")]
    [InlineData("SOFTWARE", "PERM+ENCR:1", "554 5.7.0 TLS handshake failed.")]
    [InlineData("PROTOCOL", null, "454 4.7.0 STARTTLS failed.")]
    public void R53_rfc_style_replaces_403_and_503_with_standard_codes(string verify, string? value, string expected)
    {
        var verdict = TlsRequirementCheck.Evaluate(new TlsCheckInput(verify, 0), value, ReplyCodeStyle.Rfc, NoMap);

        Assert.Equal(expected, verdict.Reply);
    }

    [Theory]
    [InlineData("OK")]
    [InlineData("RELAY")]
    [InlineData("VERIFY:112")]
    public void A_built_in_error_refuses_whatever_the_value(string value)
    {
        var verdict = TlsRequirementCheck.Evaluate(new TlsCheckInput("SOFTWARE", 256), value, ReplyCodeStyle.Sendmail, NoMap);

        Assert.Equal("454 4.7.0 TLS handshake failed.", verdict.Reply);
    }

    [Fact]
    public void The_bits_are_checked_before_the_extensions()
    {
        var input = new TlsCheckInput("OK", 56, CnSubject: "other.example.net");

        var verdict = TlsRequirementCheck.Evaluate(input, "ENCR:128+CN:mx.example.net", ReplyCodeStyle.Sendmail, NoMap);

        Assert.Equal("454 4.7.0 encryption too weak 56 less than 128", verdict.Reply);
    }

    [Fact]
    public void A_matching_cs_extension_accepts()
    {
        var input = new TlsCheckInput("OK", 256, CertSubject: "/C=US/O=Example+20Corp/CN=mx.example.net");

        var verdict = TlsRequirementCheck.Evaluate(input, "VERIFY+CS:/C=US/O=Example+20Corp/CN=mx.example.net", ReplyCodeStyle.Sendmail, NoMap);

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
    }

    [Fact]
    public void A_different_cert_subject_is_refused_by_cs()
    {
        var input = new TlsCheckInput("OK", 256, CertSubject: "/C=US/O=Other/CN=x");

        var verdict = TlsRequirementCheck.Evaluate(input, "VERIFY+CS:/C=US/O=Example+20Corp/CN=mx.example.net", ReplyCodeStyle.Sendmail, NoMap);

        Assert.Equal("454 4.7.0 Cert Subject /C=US/O=Other/CN=x does not match /C=US/O=Example+20Corp/CN=mx.example.net", verdict.Reply);
    }

    [Fact]
    public void A_matching_ci_extension_accepts()
    {
        var input = new TlsCheckInput("OK", 256, CertIssuer: "/C=DE/O=Bank+20CA/CN=Bank+20Root");

        var verdict = TlsRequirementCheck.Evaluate(input, "ENCR:128+CI:/C=DE/O=Bank+20CA/CN=Bank+20Root", ReplyCodeStyle.Sendmail, NoMap);

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
    }

    [Fact]
    public void A_different_cert_issuer_is_refused_by_ci()
    {
        var input = new TlsCheckInput("OK", 256, CertIssuer: "/C=US/O=Other/CN=X");

        var verdict = TlsRequirementCheck.Evaluate(input, "PERM+VERIFY+CI:/C=DE/O=Bank+20CA/CN=Bank+20Root", ReplyCodeStyle.Sendmail, NoMap);

        Assert.Equal("503 5.7.0 Cert Issuer /C=US/O=Other/CN=X does not match /C=DE/O=Bank+20CA/CN=Bank+20Root", verdict.Reply);
    }

    [Fact]
    public void Citag_looks_up_the_tag_and_the_issuer_and_accepts_ok()
    {
        var asked = new List<string>();
        var input = new TlsCheckInput("OK", 256, CertIssuer: "/C=DE/O=Bank+20CA/CN=Bank+20Root");

        var verdict = TlsRequirementCheck.Evaluate(input, "VERIFY+CITag:BankCA", ReplyCodeStyle.Sendmail, key =>
        {
            asked.Add(key);
            return "OK";
        });

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
        Assert.Equal(["BankCA:/C=DE/O=Bank+20CA/CN=Bank+20Root"], asked);
    }

    [Theory]
    [InlineData("REJECT")]
    [InlineData("RELAY")]
    [InlineData("OKAY")]
    [InlineData(null)]
    public void Citag_refuses_any_answer_but_ok(string? answer)
    {
        var input = new TlsCheckInput("OK", 256, CertIssuer: "/C=US/O=Other/CN=X");

        var verdict = TlsRequirementCheck.Evaluate(input, "VERIFY+CITag:BankCA", ReplyCodeStyle.Sendmail, _ => answer);

        Assert.Equal("454 4.7.0 Cert Issuer /C=US/O=Other/CN=X not acceptable", verdict.Reply);
    }

    [Theory]
    [InlineData("mx.bank.example.org", "")]
    [InlineData("MX.Bank.Example.ORG", "")]
    [InlineData("mail.bank.example.org", "454 4.7.0 CN mail.bank.example.org does not match mx.bank.example.org")]
    public void A_bare_cn_is_compared_with_the_peer_name(string cnSubject, string expected)
    {
        var input = new TlsCheckInput("OK", 256, CnSubject: cnSubject, PeerName: "mx.bank.example.org");

        var verdict = TlsRequirementCheck.Evaluate(input, "VERIFY+CN", ReplyCodeStyle.Sendmail, NoMap);

        Assert.Equal(expected, verdict.Reply);
    }

    [Theory]
    [InlineData("mx.example.net", "/CN=Root", "OK", "")]
    [InlineData("other.example.net", "/CN=Root", "OK", "454 4.7.0 CN other.example.net does not match mx.example.net")]
    [InlineData("mx.example.net", "/CN=Elsewhere", "OK", "454 4.7.0 Cert Issuer /CN=Elsewhere does not match /CN=Root")]
    [InlineData("mx.example.net", "/CN=Root", null, "454 4.7.0 Cert Issuer /CN=Root not acceptable")]
    public void Every_extension_must_pass_and_the_first_failure_is_reported(string cnSubject, string issuer, string? tagAnswer, string expected)
    {
        var input = new TlsCheckInput("OK", 256, CnSubject: cnSubject, CertIssuer: issuer);

        var verdict = TlsRequirementCheck.Evaluate(input, "VERIFY+CN:mx.example.net++CI:/CN=Root++CITag:Roots", ReplyCodeStyle.Sendmail, _ => tagAnswer);

        Assert.Equal(expected, verdict.Reply);
    }

    [Theory]
    [InlineData("perm+verify:112+cn:MX.example.NET")]
    [InlineData("Perm+Verify:112+Cn:mx.example.net")]
    [InlineData("  PERM+VERIFY:112+CN:mx.example.net\t")]
    public void Keywords_are_read_in_any_case_and_blanks_around_the_value_are_ignored(string value)
    {
        var accepted = TlsRequirementCheck.Evaluate(new TlsCheckInput("OK", 256, CnSubject: "mx.example.net"), value, ReplyCodeStyle.Sendmail, NoMap);
        var refused = TlsRequirementCheck.Evaluate(new TlsCheckInput("NO", 256, CnSubject: "mx.example.net"), value, ReplyCodeStyle.Sendmail, NoMap);

        Assert.Equal(VerdictKind.Continue, accepted.Kind);
        Assert.Equal("503 5.7.0 not authenticated", refused.Reply);
    }

    [Fact]
    public void Citag_keyword_is_read_in_any_case()
    {
        var input = new TlsCheckInput("OK", 256, CertIssuer: "/CN=Root");

        var verdict = TlsRequirementCheck.Evaluate(input, "verify+citag:Roots", ReplyCodeStyle.Sendmail, key => key == "Roots:/CN=Root" ? "OK" : null);

        Assert.Equal(VerdictKind.Continue, verdict.Kind);
    }
}
