using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;

namespace Gateway.Protocol.Tests.Access;

/// <summary>SPEC R59 (worked example B) for tls_server and Try_TLS, and the R57 rows through tls_server (R24, R54, R55).</summary>
public class AccessPolicyTlsServerTests
{
    private static readonly AccessMap R59Map = AccessMap.Parse(
        """
        TLS_Srv:secure.example.net          ENCR:112
        TLS_Srv:bank.example.org            VERIFY+CN++CITag:BankCA
        BankCA:/C=DE/O=Bank+20CA/CN=Bank+20Root   OK
        TLS_Rcpt:ceo@example.org            ENCR:128+CN:mx.example.org
        TLS_Rcpt:example.edu                TEMP+VERIFY
        Try_TLS:broken.example              NO
        """,
        "access");

    private const string BankIssuer = "/C=DE/O=Bank+20CA/CN=Bank+20Root";

    [Fact]
    public void R59_row_1_an_unverified_server_with_256_bits_meets_encr_112_of_its_parent_domain()
    {
        var answer = AccessPolicy.TlsServer(R59Map, AccessPolicySettings.Default, new TlsCheckInput("FAIL", 256), "mx2.secure.example.net", "192.0.2.20");

        var lookup = Assert.Single(answer.Lookups);
        Assert.Equal(["TLS_Srv:mx2.secure.example.net", "TLS_Srv:secure.example.net"], lookup.Tried);
        Assert.Equal("ENCR:112", lookup.Value);
        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
    }

    [Fact]
    public void R59_row_2_a_server_without_starttls_is_too_weak_and_the_message_stays_queued()
    {
        var answer = AccessPolicy.TlsServer(R59Map, AccessPolicySettings.Default, new TlsCheckInput("NONE", 0), "mx2.secure.example.net", "192.0.2.20");

        var outcome = Assert.IsType<TlsServerOutcome.Quit>(ClientTlsDecision.AfterTlsServer(answer.Verdict, "NONE"));
        Assert.Equal("454 4.7.0 encryption too weak 0 less than 112", answer.Verdict.Reply);
        Assert.False(outcome.Refusal.Permanent);
        Assert.Equal("Deferred: 454 4.7.0 encryption too weak 0 less than 112", outcome.Refusal.QueueStatus);
    }

    [Fact]
    public void R59_row_3_a_failed_handshake_drops_the_connection_and_defers()
    {
        var answer = AccessPolicy.TlsServer(R59Map, AccessPolicySettings.Default, new TlsCheckInput("SOFTWARE", 0), "mx2.secure.example.net", "192.0.2.20");

        var outcome = Assert.IsType<TlsServerOutcome.Close>(ClientTlsDecision.AfterTlsServer(answer.Verdict, "SOFTWARE"));
        Assert.Equal("454 4.7.0 TLS handshake failed.", outcome.Refusal.Diagnostic);
        Assert.Equal("Deferred: 454 4.7.0 TLS handshake failed.", outcome.Refusal.QueueStatus);
    }

    [Fact]
    public void R59_row_3_the_clear_text_retry_is_still_too_weak()
    {
        var answer = AccessPolicy.TlsServer(R59Map, AccessPolicySettings.Default, new TlsCheckInput("CLEAR", 0), "mx2.secure.example.net", "192.0.2.20");

        Assert.IsType<TlsServerOutcome.Quit>(ClientTlsDecision.AfterTlsServer(answer.Verdict, "CLEAR"));
        Assert.Equal("454 4.7.0 encryption too weak 0 less than 112", answer.Verdict.Reply);
    }

    [Theory]
    [InlineData("mx.bank.example.org", BankIssuer, "")]
    [InlineData("mail.bank.example.org", BankIssuer, "454 4.7.0 CN mail.bank.example.org does not match mx.bank.example.org")]
    [InlineData("mx.bank.example.org", "/C=US/O=Other/CN=X", "454 4.7.0 Cert Issuer /C=US/O=Other/CN=X not acceptable")]
    public void R59_rows_4_to_6_a_bare_cn_names_the_server_and_citag_the_issuer(string cnSubject, string issuer, string expected)
    {
        // PeerName left empty: the bare CN must take {server_name} from the question.
        var input = new TlsCheckInput("OK", 256, CnSubject: cnSubject, CertIssuer: issuer);

        var answer = AccessPolicy.TlsServer(R59Map, AccessPolicySettings.Default, input, "mx.bank.example.org", "198.51.100.4");

        Assert.Equal(["TLS_Srv:mx.bank.example.org", "TLS_Srv:bank.example.org"], answer.Lookups[0].Tried);
        Assert.Equal(expected, answer.Verdict.Reply);
    }

    [Fact]
    public void A_bare_cn_ignores_any_other_peer_name_in_the_input_and_the_trailing_dot_of_the_server_name()
    {
        var input = new TlsCheckInput("OK", 256, CnSubject: "mx.bank.example.org", CertIssuer: BankIssuer, PeerName: "mx.other.example");

        var answer = AccessPolicy.TlsServer(R59Map, AccessPolicySettings.Default, input, "mx.bank.example.org.", "198.51.100.4");

        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
    }

    [Fact]
    public void R59_row_10_try_tls_no_for_the_parent_domain_vetoes_starttls()
    {
        var answer = AccessPolicy.TryTls(R59Map, "mx.broken.example", "192.0.2.99");

        var lookup = Assert.Single(answer.Lookups);
        Assert.Equal(["Try_TLS:mx.broken.example", "Try_TLS:broken.example"], lookup.Tried);
        Assert.False(answer.TryTls);
        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
        Assert.EndsWith("550 5.7.1 do not try TLS with mx.broken.example [192.0.2.99]", answer.Verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void R59_row_10_the_mail_then_goes_in_clear_text_as_tls_server_has_no_entry_for_the_host()
    {
        var answer = AccessPolicy.TlsServer(R59Map, AccessPolicySettings.Default, new TlsCheckInput("NONE", 0), "mx.broken.example", "192.0.2.99");

        Assert.False(answer.Lookups[0].Found);
        Assert.Same(TlsServerOutcome.Proceed.Instance, ClientTlsDecision.AfterTlsServer(answer.Verdict, "NONE"));
    }

    [Fact]
    public void R55_try_tls_tries_the_name_then_the_address_then_the_default()
    {
        var map = AccessMap.Parse("Try_TLS: NO", "access");

        var answer = AccessPolicy.TryTls(map, "mx.example.net", "192.0.2.7");

        Assert.Equal(
            [
                "Try_TLS:mx.example.net", "Try_TLS:example.net", "Try_TLS:net",
                "Try_TLS:192.0.2.7", "Try_TLS:192.0.2", "Try_TLS:192.0", "Try_TLS:192",
                "Try_TLS:",
            ],
            answer.Lookups[0].Tried);
        Assert.False(answer.TryTls);
    }

    [Theory]
    [InlineData("Try_TLS:192.0.2 NO", false)]
    [InlineData("Try_TLS:example.net no", false)]
    [InlineData("Try_TLS:example.net YES", true)]
    [InlineData("Try_TLS:example.net NONE", true)]
    [InlineData("Try_TLS:other.example NO", true)]
    public void R64_only_no_for_this_server_turns_starttls_off(string entry, bool tryTls)
    {
        var answer = AccessPolicy.TryTls(AccessMap.Parse(entry, "access"), "mx.example.net", "192.0.2.7");

        Assert.Equal(tryTls, answer.TryTls);
    }

    [Fact]
    public void R55_tls_srv_tries_the_name_then_the_address_then_the_default()
    {
        var map = AccessMap.Parse("TLS_Srv: VERIFY", "access");

        var answer = AccessPolicy.TlsServer(map, AccessPolicySettings.Default, new TlsCheckInput("NO", 256), "mx.example.net", "IPv6:2001:db8::25");

        Assert.Equal(
            [
                "TLS_Srv:mx.example.net", "TLS_Srv:example.net", "TLS_Srv:net",
                "TLS_Srv:IPv6:2001:db8::25", "TLS_Srv:IPv6:2001:db8", "TLS_Srv:IPv6:2001",
                "TLS_Srv:",
            ],
            answer.Lookups[0].Tried);
        Assert.Equal("454 4.7.0 not authenticated", answer.Verdict.Reply);
    }

    [Fact]
    public void R55_an_address_entry_is_found_when_the_name_has_none()
    {
        var map = AccessMap.Parse("TLS_Srv:192.0.2 PERM+VERIFY", "access");

        var answer = AccessPolicy.TlsServer(map, AccessPolicySettings.Default, new TlsCheckInput("FAIL", 256), "mx.example.net", "192.0.2.7");

        Assert.Equal("TLS_Srv:192.0.2", answer.Lookups[0].MatchedKey);
        Assert.Equal("503 5.7.0 authentication failed", answer.Verdict.Reply);
    }

    [Theory]
    [InlineData("SOFTWARE", "454 4.7.0 TLS handshake failed.")]
    [InlineData("PROTOCOL", "454 4.7.0 STARTTLS failed.")]
    [InlineData("CONFIG", "454 4.7.0 STARTTLS temporarily not possible.")]
    public void R54_step_2_tls_server_refuses_the_built_in_errors_without_any_entry(string verify, string expected)
    {
        var answer = AccessPolicy.TlsServer(AccessMap.Empty, AccessPolicySettings.Default, new TlsCheckInput(verify, 0), "mx.example.net", "192.0.2.7");

        Assert.Equal(expected, answer.Verdict.Reply);
    }

    [Theory]
    [InlineData(ReplyCodeStyle.Sendmail, "TEMP+VERIFY", "403 4.7.0 not authenticated")]
    [InlineData(ReplyCodeStyle.Sendmail, "PERM+VERIFY", "503 5.7.0 not authenticated")]
    [InlineData(ReplyCodeStyle.Rfc, "TEMP+VERIFY", "454 4.7.0 not authenticated")]
    [InlineData(ReplyCodeStyle.Rfc, "PERM+VERIFY", "554 5.7.0 not authenticated")]
    [InlineData(ReplyCodeStyle.SendmailPermErr, "VERIFY", "554 5.7.0 not authenticated")]
    public void R53_tls_server_refuses_with_the_code_of_the_prefix_and_the_style(ReplyCodeStyle style, string value, string expected)
    {
        var map = AccessMap.Parse($"TLS_Srv:mx.example.net {value}", "access");

        var answer = AccessPolicy.TlsServer(map, new AccessPolicySettings(style), new TlsCheckInput("NO", 256), "mx.example.net", "192.0.2.7");

        Assert.Equal(expected, answer.Verdict.Reply);
    }

    [Fact]
    public void Answer_puts_each_client_question_to_its_hook()
    {
        var map = AccessMap.Parse("Try_TLS:broken.example NO\nClt_Features:broken.example D\nTLS_Srv:broken.example ENCR:112\nTLS_Rcpt:broken.example PERM+ENCR:1\n", "access");
        var clear = new TlsCheckInput("NONE", 0, PeerName: "mx.broken.example");

        var tryTls = AccessPolicy.Answer(map, AccessPolicySettings.Default, new PolicyQuestion.TryTls("mx.broken.example", "192.0.2.99"));
        var features = AccessPolicy.Answer(map, AccessPolicySettings.Default, new PolicyQuestion.CltFeatures("mx.broken.example", "192.0.2.99"));
        var server = AccessPolicy.Answer(map, AccessPolicySettings.Default, new PolicyQuestion.TlsServer(clear, "mx.broken.example", "192.0.2.99"));
        var rcpt = AccessPolicy.Answer(map, AccessPolicySettings.Default, new PolicyQuestion.TlsRcpt(clear, "u@broken.example"));

        Assert.False(tryTls.TryTls);
        Assert.Equal(new ClientFeatures(false, null), features.ClientFeatures);
        Assert.Equal("454 4.7.0 encryption too weak 0 less than 112", server.Verdict.Reply);
        Assert.Equal("503 5.7.0 encryption too weak 0 less than 1", rcpt.Verdict.Reply);
    }
}
