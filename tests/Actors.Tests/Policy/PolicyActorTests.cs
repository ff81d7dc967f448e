using Akka.Actor;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Policy;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;
using Xunit.Abstractions;
using static Gateway.Actors.Policy.PolicyProtocol;

namespace Gateway.Actors.Tests.Policy;

/// <summary>The PolicyActor over the pure access-map functions: ids, the cache and its bound, the map swap.</summary>
public sealed class PolicyActorTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    private const string Map = """
        TLS_Clt:laptops.example.com   PERM+VERIFY:112
        TLS_Clt:10.1                  ENCR:128
        Srv_Features:laptops.example.com   v
        Srv_Features:                      V
        CertIssuer:/C=US/O=Partner/CN=Partner+20CA   RELAY
        Connect:192.0.2.66   ERROR:"550 5.7.1 You are not welcome"
        From:spammer@example.net   REJECT
        To:partner.example   RELAY
        """;

    private static readonly TlsCheckInput NoTls = new("", 0);

    [Fact]
    public void Every_answer_carries_the_id_of_its_question_and_the_verdict_of_the_map()
    {
        var policy = Start(Map);

        policy.Tell(new CheckPolicy(7, new PolicyQuestion.TlsClient(NoTls, "[10.1.4.5]", "10.1.4.5", "MAIL")));
        var weak = ExpectMsg<PolicyVerdict>();
        policy.Tell(new CheckPolicy(8, new PolicyQuestion.TlsClient(NoTls with { Verify = "NO", CipherBits = 256 }, "pc7.laptops.example.com", "192.0.2.7", "STARTTLS")));
        var unverified = ExpectMsg<PolicyVerdict>();
        policy.Tell(new CheckPolicy(9, new PolicyQuestion.Connect("[192.0.2.66]", "192.0.2.66")));
        var connect = ExpectMsg<PolicyVerdict>();

        Assert.Equal((7L, "454 4.7.0 encryption too weak 0 less than 128"), (weak.Id, weak.Verdict.Reply));
        Assert.Equal((8L, "503 5.7.0 not authenticated"), (unverified.Id, unverified.Verdict.Reply));
        Assert.Equal((9L, "550 5.7.1 You are not welcome"), (connect.Id, connect.Verdict.Reply));
    }

    [Fact]
    public void Srv_Features_answers_carry_the_features()
    {
        var policy = Start(Map);

        policy.Tell(new CheckPolicy(1, new PolicyQuestion.SrvFeatures("pc7.laptops.example.com", "192.0.2.7")));
        var laptop = ExpectMsg<PolicyVerdict>().Answer.Features;
        policy.Tell(new CheckPolicy(2, new PolicyQuestion.SrvFeatures("[198.51.100.9]", "198.51.100.9")));
        var other = ExpectMsg<PolicyVerdict>().Answer.Features;

        Assert.True(laptop.RequestClientCertificate);
        Assert.False(other.RequestClientCertificate);
        Assert.Null(other.OfferStartTls);
    }

    [Fact]
    public void Recipients_are_relayed_by_certificate_by_domain_or_refused()
    {
        var policy = Start(Map);

        policy.Tell(new CheckPolicy(1, new PolicyQuestion.To("x@remote.example", Local: false, ClientMayRelay: false, "OK", "/C=US/O=Partner/CN=Partner+20CA", "/CN=a")));
        policy.Tell(new CheckPolicy(2, new PolicyQuestion.To("x@remote.example", Local: false, ClientMayRelay: false, "FAIL", "/C=US/O=Partner/CN=Partner+20CA", "/CN=a")));
        policy.Tell(new CheckPolicy(3, new PolicyQuestion.To("x@partner.example", Local: false, ClientMayRelay: false, "", "", "")));
        policy.Tell(new CheckPolicy(4, new PolicyQuestion.To("x@localhost", Local: true, ClientMayRelay: false, "", "", "")));
        policy.Tell(new CheckPolicy(5, new PolicyQuestion.From("spammer@example.net")));

        Assert.Equal(VerdictKind.Relay, ExpectMsg<PolicyVerdict>().Verdict.Kind);
        Assert.Equal("550 5.7.1 <x@remote.example>... Relaying denied", ExpectMsg<PolicyVerdict>().Verdict.Reply);
        Assert.Equal(VerdictKind.Relay, ExpectMsg<PolicyVerdict>().Verdict.Kind);
        Assert.Equal(VerdictKind.Continue, ExpectMsg<PolicyVerdict>().Verdict.Kind);
        Assert.Equal("550 5.7.1 Access denied", ExpectMsg<PolicyVerdict>().Verdict.Reply);
    }

    [Fact]
    public void A_repeated_question_is_answered_from_the_cache()
    {
        var policy = Start(Map);

        for (var i = 0; i < 3; i++)
        {
            policy.Tell(new CheckPolicy(i, new PolicyQuestion.Connect("[192.0.2.66]", "192.0.2.66")));
            Assert.Equal("550 5.7.1 You are not welcome", ExpectMsg<PolicyVerdict>().Verdict.Reply);
        }

        var status = Status(policy);
        Assert.Equal((1L, 2L, 1), (status.Misses, status.Hits, status.Cached));
    }

    [Fact]
    public void The_cache_never_holds_more_than_its_bound()
    {
        var policy = Sys.ActorOf(PolicyActor.Props(AccessMap.Parse(Map, "test"), "test", AccessPolicySettings.Default, cacheSize: 2));

        foreach (var address in new[] { "192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.1" })
        {
            policy.Tell(new CheckPolicy(0, new PolicyQuestion.Connect($"[{address}]", address)));
            ExpectMsg<PolicyVerdict>();
        }

        var status = Status(policy);

        // The first address was pushed out by the third, so asking again is a miss.
        Assert.Equal((4L, 0L, 2), (status.Misses, status.Hits, status.Cached));
    }

    [Fact]
    public void A_new_map_replaces_the_old_one_whole_and_empties_the_cache()
    {
        var policy = Start(Map);
        policy.Tell(new CheckPolicy(1, new PolicyQuestion.Connect("[192.0.2.66]", "192.0.2.66")));
        Assert.True(ExpectMsg<PolicyVerdict>().Verdict.Refuses);

        policy.Tell(new ReplaceMap(AccessMap.Parse("Connect:192.0.2.66 OK", "edited"), "edited"));
        policy.Tell(new CheckPolicy(2, new PolicyQuestion.Connect("[192.0.2.66]", "192.0.2.66")));

        Assert.Equal(VerdictKind.Ok, ExpectMsg<PolicyVerdict>().Verdict.Kind);
        var status = Status(policy);
        Assert.Equal(("edited", 1, 1L, 1), (status.Source, status.Entries, status.Reloads, status.Cached));
    }

    [Fact]
    public void A_failed_reload_keeps_the_last_good_map_and_reports_why()
    {
        var policy = Start(Map);

        policy.Tell(new MapReloadFailed("access, line 3: duplicate key"));
        policy.Tell(new CheckPolicy(1, new PolicyQuestion.Connect("[192.0.2.66]", "192.0.2.66")));

        Assert.True(ExpectMsg<PolicyVerdict>().Verdict.Refuses);
        var status = Status(policy);
        Assert.Equal(("access, line 3: duplicate key", 8), (status.LastReloadError, status.Entries));
    }

    private const string RelayMap = """
        Try_TLS:broken.example              NO
        Clt_Features:example.net            D
        TLS_Srv:bank.example.org            VERIFY+CN
        TLS_Rcpt:example.edu                TEMP+VERIFY
        """;

    [Fact]
    public void R20_try_tls_and_clt_features_answers_carry_the_decision()
    {
        var policy = Start(RelayMap);

        policy.Tell(new CheckPolicy(1, new PolicyQuestion.TryTls("mx.broken.example", "192.0.2.99")));
        var broken = ExpectMsg<PolicyVerdict>();
        policy.Tell(new CheckPolicy(2, new PolicyQuestion.TryTls("mx.example.net", "192.0.2.7")));
        var other = ExpectMsg<PolicyVerdict>();
        policy.Tell(new CheckPolicy(3, new PolicyQuestion.CltFeatures("mx.example.net", "192.0.2.7")));
        var features = ExpectMsg<PolicyVerdict>();

        Assert.Equal((1L, false), (broken.Id, broken.Answer.TryTls));
        Assert.Equal((2L, true), (other.Id, other.Answer.TryTls));
        Assert.Equal((3L, false), (features.Id, features.Answer.ClientFeatures.UseDane));
    }

    [Fact]
    public void R28_tls_server_caches_the_lookup_but_judges_each_connections_own_tls_facts()
    {
        var policy = Start(RelayMap);
        var verified = new TlsCheckInput("OK", 256, CnSubject: "mx.bank.example.org");

        policy.Tell(new CheckPolicy(1, new PolicyQuestion.TlsServer(verified, "mx.bank.example.org", "198.51.100.4")));
        var first = ExpectMsg<PolicyVerdict>().Verdict;
        policy.Tell(new CheckPolicy(2, new PolicyQuestion.TlsServer(verified with { Verify = "NO" }, "mx.bank.example.org", "198.51.100.4")));
        var unverified = ExpectMsg<PolicyVerdict>().Verdict;
        policy.Tell(new CheckPolicy(3, new PolicyQuestion.TlsServer(verified, "mx.bank.example.org", "198.51.100.4")));
        var again = ExpectMsg<PolicyVerdict>().Verdict;

        Assert.Equal(VerdictKind.Continue, first.Kind);
        Assert.Equal("454 4.7.0 not authenticated", unverified.Reply);
        Assert.Equal(VerdictKind.Continue, again.Kind);
        var status = Status(policy);
        Assert.Equal((1L, 2L, 1), (status.Misses, status.Hits, status.Cached));
    }

    [Fact]
    public void R28_a_bare_cn_is_checked_against_the_server_asked_about_not_one_asked_before()
    {
        var policy = Start(RelayMap);
        var certificate = new TlsCheckInput("OK", 256, CnSubject: "mx.bank.example.org");

        policy.Tell(new CheckPolicy(1, new PolicyQuestion.TlsServer(certificate, "mx.bank.example.org", "198.51.100.4")));
        var right = ExpectMsg<PolicyVerdict>().Verdict;
        policy.Tell(new CheckPolicy(2, new PolicyQuestion.TlsServer(certificate, "mx2.bank.example.org", "198.51.100.5")));
        var wrong = ExpectMsg<PolicyVerdict>().Verdict;

        Assert.Equal(VerdictKind.Continue, right.Kind);
        Assert.Equal("454 4.7.0 CN mx.bank.example.org does not match mx2.bank.example.org", wrong.Reply);
    }

    [Fact]
    public void R26_tls_rcpt_caches_the_lookup_per_recipient_and_judges_each_connection_afresh()
    {
        var policy = Start(RelayMap);

        policy.Tell(new CheckPolicy(1, new PolicyQuestion.TlsRcpt(new TlsCheckInput("FAIL", 256), "x@dept.example.edu")));
        var failed = ExpectMsg<PolicyVerdict>().Verdict;
        policy.Tell(new CheckPolicy(2, new PolicyQuestion.TlsRcpt(new TlsCheckInput("OK", 256), "x@dept.example.edu")));
        var verified = ExpectMsg<PolicyVerdict>().Verdict;

        Assert.Equal("403 4.7.0 authentication failed", failed.Reply);
        Assert.Equal(VerdictKind.Continue, verified.Kind);
        var status = Status(policy);
        Assert.Equal((1L, 1L), (status.Misses, status.Hits));
    }

    [Fact]
    public void A_new_map_replaces_the_cached_client_lookups()
    {
        var policy = Start(RelayMap);
        policy.Tell(new CheckPolicy(1, new PolicyQuestion.TryTls("mx.broken.example", "192.0.2.99")));
        Assert.False(ExpectMsg<PolicyVerdict>().Answer.TryTls);
        policy.Tell(new CheckPolicy(2, new PolicyQuestion.TlsServer(new TlsCheckInput("NONE", 0), "mx.other.example", "192.0.2.8")));
        Assert.Equal(VerdictKind.Continue, ExpectMsg<PolicyVerdict>().Verdict.Kind);

        policy.Tell(new ReplaceMap(AccessMap.Parse("TLS_Srv:other.example ENCR:128", "edited"), "edited"));
        policy.Tell(new CheckPolicy(3, new PolicyQuestion.TryTls("mx.broken.example", "192.0.2.99")));
        policy.Tell(new CheckPolicy(4, new PolicyQuestion.TlsServer(new TlsCheckInput("NONE", 0), "mx.other.example", "192.0.2.8")));

        Assert.True(ExpectMsg<PolicyVerdict>().Answer.TryTls);
        Assert.Equal("454 4.7.0 encryption too weak 0 less than 128", ExpectMsg<PolicyVerdict>().Verdict.Reply);
    }

    private IActorRef Start(string map) =>
        Sys.ActorOf(PolicyActor.Props(AccessMap.Parse(map, "test"), "test", AccessPolicySettings.Default));

    private PolicyStatus Status(IActorRef policy)
    {
        policy.Tell(GetPolicyStatus.Instance);
        return ExpectMsg<PolicyStatus>();
    }
}
