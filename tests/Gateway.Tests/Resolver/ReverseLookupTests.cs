using System.Net;
using System.Runtime.Versioning;
using Gateway.Tests.Access;
using Gateway.Tests.Support;

namespace Gateway.Tests.Resolver;

/// <summary>
/// The client's reverse lookup end to end: a node asks a name server of the test's own (UDP on loopback) for each
/// client's PTR name and its forward confirmation, and clients bound to 127/8 addresses see the result in
/// {client_name} (the access map's Connect: host keys), the Received header (SPEC R68) and sendmail's
/// relay-denied texts (SPEC section 17), for each {client_resolve}: OK, FORGED, FAIL, TEMP.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ReverseLookupTests : IAsyncLifetime
{
    private const string Confirmed = "127.0.0.61";
    private const string Forged = "127.0.0.62";
    private const string NoName = "127.0.0.63";
    private const string ServerFailure = "127.0.0.64";
    private const string Silent = "127.0.0.65";
    private const string BadName = "127.0.0.66";

    private const string Map = """
        Connect:partner.example   RELAY
        """;

    private readonly TinyDnsServer _dns = new TinyDnsServer()
        .Pointer(Confirmed, "mail.partner.example")
        .Pointer(Forged, "mail.partner.example")
        .Addresses("mail.partner.example", Confirmed)
        .PointerRcode(NoName, 3)
        .PointerRcode(ServerFailure, 2)
        .PointerSilent(Silent)
        .Pointer(BadName, "evil\r\nX-Injected:.example");

    private readonly MapDirectory _maps = new();
    private TestNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await TestNode.StartAsync(
            "--Dns:ReverseLookup=true",
            $"--Dns:Servers:0={_dns.Endpoint}",
            "--Dns:Timeout=1",
            $"--Access:MapFile={_maps.Write("access", Map)}",
            "--Smtp:MaxConnectionsPerClient=100");

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _dns.DisposeAsync();
        _maps.Dispose();
    }

    [Fact]
    public async Task A_confirmed_name_is_client_name_matches_Connect_host_keys_and_is_in_Received()
    {
        Assert.StartsWith("250 ", await RcptAsync(Confirmed, "x@remote.example"));

        var received = await ReceivedAsync(Confirmed, "confirmed");
        Assert.Contains("\r\nReceived: from client.example (mail.partner.example [127.0.0.61])\r\n\tby mx.test.example", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_name_grants_nothing_is_marked_in_Received_and_named_in_the_relay_refusal()
    {
        Assert.Equal(
            "550 5.7.1 <x@remote.example>... Relaying denied. IP name possibly forged mail.partner.example",
            await RcptAsync(Forged, "x@remote.example"));

        var received = await ReceivedAsync(Forged, "forged");
        Assert.Contains("\r\nReceived: from client.example (mail.partner.example [127.0.0.62] (may be forged))\r\n\tby mx.test.example", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_PTR_record_is_FAIL_the_bracketed_address()
    {
        Assert.Equal("550 5.7.1 <x@remote.example>... Relaying denied. IP name lookup failed [127.0.0.63]", await RcptAsync(NoName, "x@remote.example"));

        var received = await ReceivedAsync(NoName, "fail");
        Assert.Contains("\r\nReceived: from client.example ([127.0.0.63])\r\n\tby mx.test.example", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_failure_is_TEMP_and_relaying_is_refused_for_now_with_450()
    {
        Assert.Equal(
            "450 4.4.0 <x@remote.example>... Relaying temporarily denied. Cannot resolve PTR record for 127.0.0.64",
            await RcptAsync(ServerFailure, "x@remote.example"));
    }

    [Fact]
    public async Task A_name_server_that_never_answers_delays_the_greeting_by_Dns_Timeout_then_the_client_is_TEMP()
    {
        Assert.Equal(
            "450 4.4.0 <x@remote.example>... Relaying temporarily denied. Cannot resolve PTR record for 127.0.0.65",
            await RcptAsync(Silent, "x@remote.example"));
    }

    [Fact]
    public async Task A_PTR_name_that_is_not_a_host_name_counts_as_none_and_reaches_no_header()
    {
        Assert.Equal("550 5.7.1 <x@remote.example>... Relaying denied. IP name lookup failed [127.0.0.66]", await RcptAsync(BadName, "x@remote.example"));

        var received = await ReceivedAsync(BadName, "bad");
        Assert.DoesNotContain("X-Injected", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_from_one_address_share_one_lookup()
    {
        const string address = "127.0.0.67";
        await using var dns = new TinyDnsServer().Pointer(address, "busy.partner.example").Addresses("busy.partner.example", address);
        await using var node = await TestNode.StartAsync("--Dns:ReverseLookup=true", $"--Dns:Servers:0={dns.Endpoint}");

        for (var i = 0; i < 5; i++)
        {
            await using var smtp = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse(address));
            Assert.StartsWith("220 ", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        }

        // One lookup for five connections. A second question can only be DnsClient resending the first when its answer
        // was late under load (seen once in CI for a sibling test); five unshared lookups would ask five times.
        Assert.InRange(dns.PointerQuestions(address), 1, 2);
    }

    private async Task<string> RcptAsync(string source, string rcpt)
    {
        await using var smtp = await SmtpStream.ConnectAsync(_node.Smtp, IPAddress.Parse(source));
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await smtp.CommandAsync("MAIL FROM:<a@example.com>"), StringComparison.Ordinal);
        return await smtp.CommandAsync($"RCPT TO:<{rcpt}>") ?? "(closed)";
    }

    /// <summary>Sends one local message from <paramref name="source"/> and returns its delivered text.</summary>
    private async Task<string> ReceivedAsync(string source, string mailbox)
    {
        await using (var smtp = await SmtpStream.ConnectAsync(_node.Smtp, IPAddress.Parse(source)))
        {
            await smtp.SendMessageAsync($"{mailbox}@localhost", "reverse");
        }

        var messages = await MaildirReader.WaitForAsync(_node.Maildir, $"{mailbox}@localhost", 1);
        return Assert.Single(messages);
    }
}
