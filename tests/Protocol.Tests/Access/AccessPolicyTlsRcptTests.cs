using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;

namespace Gateway.Protocol.Tests.Access;

/// <summary>SPEC R59 (worked example B) for tls_rcpt, R55's recipient lookup and its DANE tail, and Clt_Features (R26, R51, R64).</summary>
public class AccessPolicyTlsRcptTests
{
    private static readonly AccessMap R59Map = AccessMap.Parse(
        """
        TLS_Srv:secure.example.net          ENCR:112
        TLS_Rcpt:ceo@example.org            ENCR:128+CN:mx.example.org
        TLS_Rcpt:example.edu                TEMP+VERIFY
        """,
        "access");

    [Fact]
    public void R59_row_7_the_recipient_via_its_own_mx_is_accepted_and_its_rcpt_sent()
    {
        var input = new TlsCheckInput("OK", 256, CnSubject: "mx.example.org", PeerName: "mx.example.org");

        var answer = AccessPolicy.TlsRcpt(R59Map, AccessPolicySettings.Default, input, "ceo@example.org");

        Assert.Equal(["TLS_Rcpt:ceo@example.org"], answer.Lookups[0].Tried);
        Assert.Same(TlsRcptOutcome.SendRcpt.Instance, ClientTlsDecision.BeforeRcpt(answer.Verdict));
    }

    [Fact]
    public void R59_row_8_the_same_recipient_via_a_backup_mx_is_held_back_and_deferred()
    {
        var input = new TlsCheckInput("OK", 256, CnSubject: "backup.other.net", PeerName: "backup.other.net");

        var answer = AccessPolicy.TlsRcpt(R59Map, AccessPolicySettings.Default, input, "ceo@example.org");

        var skip = Assert.IsType<TlsRcptOutcome.SkipRcpt>(ClientTlsDecision.BeforeRcpt(answer.Verdict));
        Assert.Equal("454 4.7.0 CN backup.other.net does not match mx.example.org", skip.Refusal.Diagnostic);
        Assert.False(skip.Refusal.Permanent);
    }

    [Fact]
    public void R59_row_9_a_subdomain_recipient_finds_the_parent_domain_entry_and_temp_gives_403()
    {
        var answer = AccessPolicy.TlsRcpt(R59Map, AccessPolicySettings.Default, new TlsCheckInput("FAIL", 256, PeerName: "mx.dept.example.edu"), "x@dept.example.edu");

        Assert.Equal(["TLS_Rcpt:x@dept.example.edu", "TLS_Rcpt:x@", "TLS_Rcpt:dept.example.edu", "TLS_Rcpt:example.edu"], answer.Lookups[0].Tried);
        var skip = Assert.IsType<TlsRcptOutcome.SkipRcpt>(ClientTlsDecision.BeforeRcpt(answer.Verdict));
        Assert.Equal("403 4.7.0 authentication failed", skip.Refusal.Diagnostic);
        Assert.Equal("Deferred: 403 4.7.0 authentication failed", skip.Refusal.QueueStatus);
    }

    [Fact]
    public void R55_tls_rcpt_tries_every_recipient_form_then_the_default()
    {
        var map = AccessMap.Parse("TLS_Rcpt: PERM+ENCR:128", "access");

        var answer = AccessPolicy.TlsRcpt(map, AccessPolicySettings.Default, new TlsCheckInput("NONE", 0), "local+detail@sub.example.org.");

        Assert.Equal(
            [
                "TLS_Rcpt:local+detail@sub.example.org", "TLS_Rcpt:local+*@sub.example.org", "TLS_Rcpt:local@sub.example.org",
                "TLS_Rcpt:local+detail@", "TLS_Rcpt:local+*@", "TLS_Rcpt:local@",
                "TLS_Rcpt:sub.example.org", "TLS_Rcpt:example.org", "TLS_Rcpt:org",
                "TLS_Rcpt:",
            ],
            answer.Lookups[0].Tried);
        var skip = Assert.IsType<TlsRcptOutcome.SkipRcpt>(ClientTlsDecision.BeforeRcpt(answer.Verdict));
        Assert.True(skip.Refusal.Permanent);
        Assert.Equal(("503 5.7.0 encryption too weak 0 less than 128", "5.7.0"), (skip.Refusal.Diagnostic, skip.Refusal.Status.ToString()));
        Assert.Null(skip.Refusal.QueueStatus);
    }

    [Fact]
    public void R26_a_bare_cn_in_tls_rcpt_names_the_server_of_the_current_connection()
    {
        var map = AccessMap.Parse("TLS_Rcpt:example.org VERIFY+CN", "access");

        var same = AccessPolicy.TlsRcpt(map, AccessPolicySettings.Default, new TlsCheckInput("OK", 256, CnSubject: "mx.example.org", PeerName: "mx.example.org"), "a@example.org");
        var other = AccessPolicy.TlsRcpt(map, AccessPolicySettings.Default, new TlsCheckInput("OK", 256, CnSubject: "mx.example.org", PeerName: "backup.example.net"), "a@example.org");

        Assert.Equal(VerdictKind.Continue, same.Verdict.Kind);
        Assert.Equal("454 4.7.0 CN mx.example.org does not match backup.example.net", other.Verdict.Reply);
    }

    [Theory]
    [InlineData("DANE_FAIL", ReplyCodeStyle.Sendmail, "454 4.7.0 DANE check failed.")]
    [InlineData("DANE_NOTLS", ReplyCodeStyle.Sendmail, "454 4.7.0 DANE: missing STARTTLS.")]
    [InlineData("DANE_TEMP", ReplyCodeStyle.Sendmail, "454 4.7.0 DANE check failed temporarily.")]
    [InlineData("DANE_FAIL", ReplyCodeStyle.SendmailPermErr, "554 5.7.0 DANE check failed.")]
    [InlineData("SOFTWARE", ReplyCodeStyle.Sendmail, "")]
    [InlineData("PROTOCOL", ReplyCodeStyle.Sendmail, "")]
    [InlineData("NONE", ReplyCodeStyle.Sendmail, "")]
    public void R55_without_an_entry_tls_rcpt_refuses_only_a_failed_dane_check(string verify, ReplyCodeStyle style, string expected)
    {
        var answer = AccessPolicy.TlsRcpt(AccessMap.Empty, new AccessPolicySettings(style), new TlsCheckInput(verify, 0), "u@example.net");

        Assert.False(answer.Lookups[0].Found);
        Assert.Equal(expected, answer.Verdict.Reply);
    }

    [Fact]
    public void A_dane_failure_with_an_entry_is_judged_by_the_entry()
    {
        var map = AccessMap.Parse("TLS_Rcpt:example.net OK", "access");

        var answer = AccessPolicy.TlsRcpt(map, AccessPolicySettings.Default, new TlsCheckInput("DANE_FAIL", 256), "u@example.net");

        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
    }

    [Fact]
    public void R55_clt_features_tries_the_name_and_the_default_but_never_the_address()
    {
        var map = AccessMap.Parse("Clt_Features:192.0.2.7 D\nClt_Features: M\n", "access");

        var answer = AccessPolicy.CltFeatures(map, "mx.example.net");

        Assert.Equal(["Clt_Features:mx.example.net", "Clt_Features:example.net", "Clt_Features:net", "Clt_Features:"], answer.Lookups[0].Tried);
        Assert.Equal(new ClientFeatures(UseDane: null, UseMtaSts: false), answer.ClientFeatures);
    }

    [Theory]
    [InlineData("D", false, null)]
    [InlineData("M", null, false)]
    [InlineData("D M", false, false)]
    [InlineData("DM", false, false)]
    [InlineData("d\tm", true, true)]
    [InlineData("D X", false, null)]
    public void R64_clt_features_d_turns_dane_off_and_m_mta_sts(string value, bool? dane, bool? mtaSts)
    {
        var map = AccessMap.Parse($"Clt_Features:example.net {value}", "access");

        var answer = AccessPolicy.CltFeatures(map, "mx.example.net");

        Assert.Equal(new ClientFeatures(dane, mtaSts), answer.ClientFeatures);
    }

    [Fact]
    public void Without_a_clt_features_entry_everything_is_as_configured()
    {
        var answer = AccessPolicy.CltFeatures(AccessMap.Parse("Clt_Features:other.example D", "access"), "mx.example.net");

        Assert.False(answer.Lookups[0].Found);
        Assert.Equal(ClientFeatures.Default, answer.ClientFeatures);
    }
}
