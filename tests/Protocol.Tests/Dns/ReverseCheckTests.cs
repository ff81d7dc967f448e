using Gateway.Protocol.Replies;
using System.Net;
using Gateway.Protocol.Dns;
using Gateway.Protocol.Session;

namespace Gateway.Protocol.Tests.Dns;

/// <summary>
/// The forward-confirmed reverse lookup's verdict ({client_resolve}) and what follows from it: {client_name}, the
/// Received host description (SPEC R68) and sendmail's relay-denied texts (SPEC section 17).
/// </summary>
public sealed class ReverseCheckTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void A_PTR_name_whose_addresses_include_the_client_is_OK() =>
        Assert.Equal(
            new ClientHost(Client, "mx.example.org", ClientResolve.Ok),
            ReverseCheck.Judge(Client, DnsOutcome.Found, "mx.example.org.", DnsOutcome.Found, [IPAddress.Parse("192.0.2.9"), Client]));

    [Fact]
    public void An_IPv4_mapped_client_matches_its_A_record() =>
        Assert.Equal(
            ClientResolve.Ok,
            ReverseCheck.Judge(Client.MapToIPv6(), DnsOutcome.Found, "mx.example.org", DnsOutcome.Found, [Client]).Resolve);

    [Theory]
    [InlineData(DnsOutcome.Found)]
    [InlineData(DnsOutcome.NotFound)]
    public void A_PTR_name_whose_forward_lookup_misses_the_client_is_FORGED(DnsOutcome forward) =>
        Assert.Equal(
            new ClientHost(Client, "mx.example.org", ClientResolve.Forged),
            ReverseCheck.Judge(Client, DnsOutcome.Found, "mx.example.org", forward, forward == DnsOutcome.Found ? [IPAddress.Parse("198.51.100.1")] : []));

    [Fact]
    public void No_PTR_record_is_FAIL() =>
        Assert.Equal(new ClientHost(Client, null, ClientResolve.Fail), ReverseCheck.Judge(Client, DnsOutcome.NotFound, null, DnsOutcome.NotFound, []));

    [Fact]
    public void A_temporary_PTR_failure_is_TEMP() =>
        Assert.Equal(new ClientHost(Client, null, ClientResolve.Temp), ReverseCheck.Judge(Client, DnsOutcome.TempFail, null, DnsOutcome.NotFound, []));

    [Fact]
    public void A_temporary_forward_failure_is_TEMP_and_keeps_the_unconfirmed_name_out_of_client_name()
    {
        var host = ReverseCheck.Judge(Client, DnsOutcome.Found, "mx.example.org", DnsOutcome.TempFail, []);

        Assert.Equal(ClientResolve.Temp, host.Resolve);
        Assert.Equal("[192.0.2.7]", host.Name);
        Assert.Equal("[192.0.2.7]", host.Description);
    }

    [Theory]
    [InlineData("mx.example.org", "mx.example.org")]
    [InlineData("mx.example.org.", "mx.example.org")]
    [InlineData("_dmarc-ish_host.example", "_dmarc-ish_host.example")]
    [InlineData("evil\r\nX-Injected: 1.example", null)]
    [InlineData("two words.example", null)]
    [InlineData("[192.0.2.7]", null)]
    [InlineData("a..example", null)]
    [InlineData("", null)]
    [InlineData(".", null)]
    [InlineData("198.51.100.7", null)]
    [InlineData("198.51.100.7.", null)]
    [InlineData("7.100.51.198.in-addr.arpa", "7.100.51.198.in-addr.arpa")]
    public void Only_host_names_are_taken_from_a_PTR_record(string name, string? normalized) =>
        Assert.Equal(normalized, ReverseCheck.Normalize(name));

    [Fact]
    public void Names_longer_than_DNS_allows_are_refused()
    {
        Assert.Null(ReverseCheck.Normalize(new string('a', 64) + ".example"));
        Assert.Null(ReverseCheck.Normalize(string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ".example"));
        Assert.NotNull(ReverseCheck.Normalize(new string('a', 63) + ".example"));
    }

    [Fact]
    public void A_PTR_name_that_is_not_a_host_name_is_FAIL() =>
        Assert.Equal(ClientResolve.Fail, ReverseCheck.Judge(Client, DnsOutcome.Found, "evil\r\nX: y", DnsOutcome.Found, [Client]).Resolve);

    [Theory]
    [InlineData(ClientResolve.Ok, "mx.example.org", "mx.example.org", "mx.example.org [192.0.2.7]")]
    [InlineData(ClientResolve.Forged, "mx.example.org", "[192.0.2.7]", "mx.example.org [192.0.2.7] (may be forged)")]
    [InlineData(ClientResolve.Fail, null, "[192.0.2.7]", "[192.0.2.7]")]
    [InlineData(ClientResolve.Temp, null, "[192.0.2.7]", "[192.0.2.7]")]
    [InlineData(ClientResolve.None, null, "[192.0.2.7]", "[192.0.2.7]")]
    public void Client_name_and_the_Received_description_follow_the_verdict(ClientResolve resolve, string? ptr, string name, string description)
    {
        var host = new ClientHost(Client, ptr, resolve);

        Assert.Equal(name, host.Name);
        Assert.Equal(description, host.Description);
    }

    [Fact]
    public void An_IPv6_client_is_tagged_in_client_name_and_plain_in_Received()
    {
        var host = new ClientHost(IPAddress.Parse("2001:db8::7"), "mx6.example.org", ClientResolve.Forged);

        Assert.Equal("[IPv6:2001:db8::7]", host.Name);
        Assert.Equal("mx6.example.org [2001:db8::7] (may be forged)", host.Description);
    }

    [Fact]
    public void A_forged_name_of_DNS_length_is_shortened_so_the_reply_line_stays_within_512_octets()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 62), 4));
        var recipient = new string('r', 64) + "@" + new string('d', 190) + ".example";

        var reply = SmtpReplies.RelayingDenied(recipient, new ClientHost(Client, name, ClientResolve.Forged)).ToString();

        Assert.True(reply.Length <= 510, $"{reply.Length} octets");
        Assert.EndsWith("...", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientResolve.Ok, "550 5.7.1 <x@remote.example>... Relaying denied")]
    [InlineData(ClientResolve.None, "550 5.7.1 <x@remote.example>... Relaying denied")]
    [InlineData(ClientResolve.Fail, "550 5.7.1 <x@remote.example>... Relaying denied. IP name lookup failed [192.0.2.7]")]
    [InlineData(ClientResolve.Forged, "550 5.7.1 <x@remote.example>... Relaying denied. IP name possibly forged mx.example.org")]
    [InlineData(ClientResolve.Temp, "450 4.4.0 <x@remote.example>... Relaying temporarily denied. Cannot resolve PTR record for 192.0.2.7")]
    public void Relaying_denied_is_worded_after_the_reverse_lookup_as_sendmail_does(ClientResolve resolve, string reply)
    {
        var host = new ClientHost(Client, resolve is ClientResolve.Ok or ClientResolve.Forged ? "mx.example.org" : null, resolve);

        Assert.Equal(reply, SmtpReplies.RelayingDenied("x@remote.example", host).ToString());
    }
}
