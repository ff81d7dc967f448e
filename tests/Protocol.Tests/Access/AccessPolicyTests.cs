using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

/// <summary>The classic Connect: and From: decisions, and Srv_Features without an entry.</summary>
public class AccessPolicyTests
{
    [Theory]
    [InlineData("Connect:10.1 RELAY", VerdictKind.Relay, "")]
    [InlineData("Connect:example.com REJECT", VerdictKind.Reject, "550 5.7.1 Access denied")]
    [InlineData("example.com ERROR:\"421 4.3.2 Not now\"", VerdictKind.Reject, "421 4.3.2 Not now")]
    [InlineData("Connect:host.example.com DISCARD", VerdictKind.Discard, "")]
    [InlineData("10.1.4.5 OK", VerdictKind.Ok, "")]
    [InlineData("Connect:elsewhere.example REJECT", VerdictKind.Continue, "")]
    public void Connect_decides_by_the_first_entry_for_the_client(string entry, VerdictKind kind, string reply)
    {
        var map = AccessMap.Parse(entry, "access");

        var answer = AccessPolicy.Connect(map, "host.example.com", "10.1.4.5");

        Assert.Equal(kind, answer.Verdict.Kind);
        Assert.Equal(reply, answer.Verdict.Reply);
    }

    [Fact]
    public void Connect_tries_the_tagged_key_before_the_untagged_one()
    {
        var map = AccessMap.Parse("Connect:example.com RELAY\nexample.com REJECT\n", "access");

        var answer = AccessPolicy.Connect(map, "host.example.com", "10.1.4.5");

        Assert.Equal(VerdictKind.Relay, answer.Verdict.Kind);
        Assert.Equal(["Connect:host.example.com", "host.example.com", "Connect:example.com"], answer.Lookups[0].Tried);
    }

    [Fact]
    public void Connect_finds_an_untagged_ipv6_address_key()
    {
        var map = AccessMap.Parse("IPv6:2001:db8::1 REJECT", "access");

        var answer = AccessPolicy.Connect(map, "", "IPv6:2001:db8::1");

        Assert.Equal("550 5.7.1 Access denied", answer.Verdict.Reply);
        Assert.Equal(["Connect:IPv6:2001:db8::1", "IPv6:2001:db8::1"], answer.Lookups[0].Tried);
    }

    [Fact]
    public void Mail_looks_the_null_sender_up_as_angle_brackets()
    {
        var map = AccessMap.Parse("From:<> REJECT", "access");

        var answer = AccessPolicy.Mail(map, "");

        Assert.Equal("550 5.7.1 Access denied", answer.Verdict.Reply);
        Assert.Equal(["From:<>"], answer.Lookups[0].Tried);
    }

    [Fact]
    public void Mail_finds_a_parent_domain_of_the_sender()
    {
        var map = AccessMap.Parse("From:spammer.example ERROR:\"550 5.7.1 Go away\"", "access");

        var answer = AccessPolicy.Mail(map, "a@mail.spammer.example");

        Assert.Equal("550 5.7.1 Go away", answer.Verdict.Reply);
        Assert.Equal(["From:a@mail.spammer.example", "a@mail.spammer.example", "From:mail.spammer.example", "mail.spammer.example", "From:spammer.example"], answer.Lookups[0].Tried);
    }

    [Fact]
    public void Mail_without_an_entry_decides_nothing()
    {
        var answer = AccessPolicy.Mail(AccessMap.Parse("From:other.example REJECT", "access"), "a@example.org");

        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
        Assert.False(answer.Lookups[0].Found);
    }

    [Fact]
    public void Mail_skip_stops_the_lookup_without_deciding()
    {
        var map = AccessMap.Parse("From:a@example.org SKIP\nFrom:example.org REJECT\n", "access");

        var answer = AccessPolicy.Mail(map, "a@example.org");

        Assert.Equal(VerdictKind.Continue, answer.Verdict.Kind);
        Assert.Equal("From:a@example.org", answer.Lookups[0].MatchedKey);
    }

    [Fact]
    public void Srv_features_without_an_entry_leave_the_configuration()
    {
        var answer = AccessPolicy.SrvFeatures(AccessMap.Empty, "host.example.com", "192.0.2.7");

        Assert.Equal(ServerFeatures.Default, answer.Features);
        Assert.Equal("Srv_Features:", answer.Lookups[0].Tried[^1]);
    }
}
