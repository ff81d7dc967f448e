using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

public class LookupOrderTests
{
    [Fact]
    public void R55_a_host_name_is_tried_with_each_parent_domain_then_the_default()
    {
        var keys = LookupOrder.Host("TLS_Clt", "a.b.example.com", null);

        Assert.Equal(["TLS_Clt:a.b.example.com", "TLS_Clt:b.example.com", "TLS_Clt:example.com", "TLS_Clt:com", "TLS_Clt:"], keys);
    }

    [Fact]
    public void R55_a_bracketed_ipv4_name_is_shortened_by_octet_then_the_address_then_the_default()
    {
        var keys = LookupOrder.Host("TLS_Clt", "[10.1.4.5]", "10.1.4.5");

        Assert.Equal(
            [
                "TLS_Clt:[10.1.4.5]", "TLS_Clt:[10.1.4]", "TLS_Clt:[10.1]", "TLS_Clt:[10]",
                "TLS_Clt:10.1.4.5", "TLS_Clt:10.1.4", "TLS_Clt:10.1", "TLS_Clt:10",
                "TLS_Clt:",
            ],
            keys);
    }

    [Fact]
    public void R55_the_name_comes_before_the_address()
    {
        var keys = LookupOrder.Host("TLS_Srv", "mx.example.net", "192.0.2.7");

        Assert.Equal(
            [
                "TLS_Srv:mx.example.net", "TLS_Srv:example.net", "TLS_Srv:net",
                "TLS_Srv:192.0.2.7", "TLS_Srv:192.0.2", "TLS_Srv:192.0", "TLS_Srv:192",
                "TLS_Srv:",
            ],
            keys);
    }

    [Fact]
    public void R55_an_ipv6_address_is_shortened_one_group_at_a_time_skipping_the_empty_group_of_the_double_colon()
    {
        var keys = LookupOrder.Host("TLS_Clt", null, "IPv6:2001:db8:1::7");

        Assert.Equal(["TLS_Clt:IPv6:2001:db8:1::7", "TLS_Clt:IPv6:2001:db8:1", "TLS_Clt:IPv6:2001:db8", "TLS_Clt:IPv6:2001", "TLS_Clt:"], keys);
    }

    [Fact]
    public void An_ipv6_address_ending_in_a_double_colon_is_still_tried_whole_first()
    {
        var keys = LookupOrder.Host("TLS_Clt", null, "IPv6:2001:db8::");

        Assert.Equal(["TLS_Clt:IPv6:2001:db8::", "TLS_Clt:IPv6:2001:db8", "TLS_Clt:IPv6:2001", "TLS_Clt:"], keys);
    }

    [Fact]
    public void An_ipv6_address_starting_with_a_double_colon_has_no_empty_shorter_form()
    {
        var keys = LookupOrder.Host("TLS_Clt", null, "IPv6:::1");

        Assert.Equal(["TLS_Clt:IPv6:::1", "TLS_Clt:"], keys);
    }

    [Fact]
    public void A_bracketed_ipv6_name_is_tried_as_it_is()
    {
        var keys = LookupOrder.Host("TLS_Clt", "[IPv6:2001:db8::7]", null, HostSteps.Name);

        Assert.Equal(["TLS_Clt:[IPv6:2001:db8::7]"], keys);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    public void R55_without_name_or_address_only_the_bare_tag_is_tried(string? name, string? address)
    {
        var keys = LookupOrder.Host("TLS_Clt", name, address);

        Assert.Equal(["TLS_Clt:"], keys);
    }

    [Fact]
    public void R55_clt_features_uses_the_name_and_the_default_but_no_address()
    {
        var keys = LookupOrder.Host("Clt_Features", "mx.example.net", "192.0.2.7", HostSteps.Name | HostSteps.Default);

        Assert.Equal(["Clt_Features:mx.example.net", "Clt_Features:example.net", "Clt_Features:net", "Clt_Features:"], keys);
    }

    [Fact]
    public void R55_tls_session_features_use_the_name_and_the_address_but_no_default()
    {
        var keys = LookupOrder.Host("TLS_Srv_Features", "mx.example.net", "192.0.2.7", HostSteps.Name | HostSteps.Address);

        Assert.Equal(
            [
                "TLS_Srv_Features:mx.example.net", "TLS_Srv_Features:example.net", "TLS_Srv_Features:net",
                "TLS_Srv_Features:192.0.2.7", "TLS_Srv_Features:192.0.2", "TLS_Srv_Features:192.0", "TLS_Srv_Features:192",
            ],
            keys);
    }

    [Fact]
    public void A_trailing_dot_of_a_host_name_is_removed()
    {
        var keys = LookupOrder.Host("TLS_Srv", "mx.example.net.", null, HostSteps.Name);

        Assert.Equal(["TLS_Srv:mx.example.net", "TLS_Srv:example.net", "TLS_Srv:net"], keys);
    }

    [Fact]
    public void R55_a_recipient_with_detail_is_tried_in_the_order_of_the_spec()
    {
        var keys = LookupOrder.Recipient("TLS_Rcpt", "local+detail@sub.example.org");

        Assert.Equal(
            [
                "TLS_Rcpt:local+detail@sub.example.org", "TLS_Rcpt:local+*@sub.example.org", "TLS_Rcpt:local@sub.example.org",
                "TLS_Rcpt:local+detail@", "TLS_Rcpt:local+*@", "TLS_Rcpt:local@",
                "TLS_Rcpt:sub.example.org", "TLS_Rcpt:example.org", "TLS_Rcpt:org",
                "TLS_Rcpt:",
            ],
            keys);
    }

    [Fact]
    public void R55_a_recipient_without_detail_has_one_form_per_step()
    {
        var keys = LookupOrder.Recipient("TLS_Rcpt", "ceo@example.org");

        Assert.Equal(["TLS_Rcpt:ceo@example.org", "TLS_Rcpt:ceo@", "TLS_Rcpt:example.org", "TLS_Rcpt:org", "TLS_Rcpt:"], keys);
    }

    [Fact]
    public void R55_a_recipient_without_a_domain_uses_only_steps_2_and_4()
    {
        var keys = LookupOrder.Recipient("TLS_Rcpt", "local+detail");

        Assert.Equal(["TLS_Rcpt:local+detail@", "TLS_Rcpt:local+*@", "TLS_Rcpt:local@", "TLS_Rcpt:"], keys);
    }

    [Theory]
    [InlineData("ceo@example.org.")]
    [InlineData("<ceo@example.org.>")]
    public void R55_the_trailing_dot_of_a_recipient_domain_is_removed(string recipient)
    {
        var keys = LookupOrder.Recipient("TLS_Rcpt", recipient);

        Assert.Equal(["TLS_Rcpt:ceo@example.org", "TLS_Rcpt:ceo@", "TLS_Rcpt:example.org", "TLS_Rcpt:org", "TLS_Rcpt:"], keys);
    }

    [Fact]
    public void R59_a_recipient_lookup_stops_at_the_first_hit()
    {
        var map = AccessMap.Parse("TLS_Rcpt:example.edu TEMP+VERIFY\n", "access");

        var lookup = LookupResult.In(map, LookupOrder.Recipient("TLS_Rcpt", "x@dept.example.edu"));

        Assert.Equal(["TLS_Rcpt:x@dept.example.edu", "TLS_Rcpt:x@", "TLS_Rcpt:dept.example.edu", "TLS_Rcpt:example.edu"], lookup.Tried);
        Assert.Equal("TLS_Rcpt:example.edu", lookup.MatchedKey);
        Assert.Equal("TEMP+VERIFY", lookup.Value);
    }

    [Fact]
    public void Connect_tries_each_name_and_address_form_tagged_then_untagged_and_has_no_default()
    {
        var keys = LookupOrder.Connect("mail.example.com", "192.0.2.7");

        Assert.Equal(
            [
                "Connect:mail.example.com", "mail.example.com", "Connect:example.com", "example.com", "Connect:com", "com",
                "Connect:192.0.2.7", "192.0.2.7", "Connect:192.0.2", "192.0.2", "Connect:192.0", "192.0", "Connect:192", "192",
            ],
            keys);
    }

    [Fact]
    public void Connect_shortens_an_ipv6_address_like_the_host_lookup()
    {
        var keys = LookupOrder.Connect(null, "IPv6:2001:db8::1");

        Assert.Equal(
            ["Connect:IPv6:2001:db8::1", "IPv6:2001:db8::1", "Connect:IPv6:2001:db8", "IPv6:2001:db8", "Connect:IPv6:2001", "IPv6:2001"],
            keys);
    }

    [Fact]
    public void Envelope_tries_the_address_the_domains_then_the_local_part_each_tagged_then_untagged()
    {
        var keys = LookupOrder.Envelope("From", "a@b.example.com");

        Assert.Equal(
            [
                "From:a@b.example.com", "a@b.example.com",
                "From:b.example.com", "b.example.com", "From:example.com", "example.com", "From:com", "com",
                "From:a@", "a@",
            ],
            keys);
    }

    [Fact]
    public void Envelope_looks_up_the_null_sender_as_angle_brackets()
    {
        var keys = LookupOrder.Envelope("From", "");

        Assert.Equal(["From:<>", "<>"], keys);
    }

    [Fact]
    public void Envelope_without_a_domain_tries_only_the_local_part()
    {
        var keys = LookupOrder.Envelope("To", "postmaster");

        Assert.Equal(["To:postmaster@", "postmaster@"], keys);
    }
}
