using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Text.Json;
using Gateway.Cli;
using Gateway.Tests.Support;

namespace Gateway.Tests.Access;

/// <summary>
/// <c>gateway map test</c> and the running gateway drive the same SessionPolicy, so they must never disagree: each
/// case of the worked examples (R58, R62) and of SPEC section 17 (restricted mode, relaying denied, Srv_Features S,
/// Connect:, From:, DISCARD) is played twice, once as a real session against a node with the map (SslStream for
/// TLS, a real client certificate where the case has one) and once through <c>gateway map test</c> with the same
/// client facts, and the server's replies to STARTTLS, MAIL and RCPT are compared line for line.
/// </summary>
public sealed partial class WorkedExamplesTests
{
    private const string Sender = "a@example.com";

    private const string ExampleCIssuer = "/C=US/O=Example+20Corp/CN=Example+20Issuing+20CA";

    private const string PartnerIssuer = "/C=US/O=Partner/CN=Partner+20CA";

    [Fact]
    public async Task Map_test_and_the_gateway_answer_example_A_alike()
    {
        var node = await StartAsync(ExampleA);
        var map = Path.Combine(_maps, "access");
        Case[] cases =
        [
            new(Laptop, "pc7@localhost", Tls: true, Certificate: "client", Verify: "OK"),
            new(Laptop, "pc7@localhost", Tls: true, Certificate: null, Verify: "NO"),
            new(Laptop, "pc7@localhost"),
            new(TenOneFourFive, "ten@localhost", Tls: true, Certificate: "client", Verify: "NOT"),
            new(TenOneFourFive, "ten@localhost"),
            new(Other, "other@localhost", Tls: true, Certificate: null, Verify: "NOT"),
            new(Other, "x@remote.example"),
        ];

        await AssertAgreeAsync(node, map, cases);
    }

    [Fact]
    public async Task Map_test_and_the_gateway_answer_example_C_alike()
    {
        var node = await StartAsync(ExampleC);
        var map = Path.Combine(_maps, "access");
        Case[] cases =
        [
            new("127.0.0.1", "x@remote.example", true, "relay1", "OK", "/C=US/O=Example+20Corp/CN=relay1.example.com", ExampleCIssuer),
            new("127.0.0.1", "x@remote.example", true, "relay2", "OK", "/C=US/O=Example+20Corp/CN=relay2.example.com", ExampleCIssuer),
            new("127.0.0.1", "x@remote.example", true, "partner", "OK", "/C=US/O=Partner/CN=mta.partner.example", PartnerIssuer),
            new("127.0.0.1", "x@remote.example", true, "partner-expired", "FAIL", "/C=US/O=Partner/CN=old.partner.example", PartnerIssuer),
            new("127.0.0.1", "x@remote.example", true, null, "NO"),
            new("127.0.0.1", "x@localhost", true, null, "NO"),
        ];

        await AssertAgreeAsync(node, map, cases);
    }

    [Fact]
    public async Task Map_test_and_the_gateway_answer_the_classic_entries_and_section_17_alike()
    {
        var node = await StartAsync(Classic);
        var map = Path.Combine(_maps, "access");
        Case[] cases =
        [
            new(Hidden, "x@localhost", Tls: true, Certificate: null, Verify: "NO"), // Srv_Features S: STARTTLS 454, the rest in clear
            new(Unwelcome, "x@localhost"),                                         // Connect: ERROR: restricted from the greeting
            new(Trusted, "x@remote.example"),                                      // Connect: RELAY
            new(Binned, "x@localhost"),                                            // Connect: DISCARD
            new(Stranger, "x@localhost", From: "spammer@example.net"),             // From: REJECT, then RCPT without a transaction
            new(Stranger, "binned@localhost"),                                     // To: DISCARD
            new(Stranger, "x@remote.example"),                                     // relaying denied
        ];

        await AssertAgreeAsync(node, map, cases);
    }

    private async Task AssertAgreeAsync(TestNode node, string map, IReadOnlyList<Case> cases)
    {
        foreach (var c in cases)
        {
            var (server, bits) = await PlayAsync(node, c);
            var trace = await TraceAsync(map, c, bits);
            Assert.True(
                server.SequenceEqual(trace),
                $"{c}: the gateway answered\n  {string.Join("\n  ", server)}\nbut map test says\n  {string.Join("\n  ", trace)}");
        }
    }

    /// <summary>The case as a real session; returns the replies and the negotiated {cipher_bits} (0 in clear).</summary>
    private async Task<(List<string> Replies, int Bits)> PlayAsync(TestNode node, Case c)
    {
        var replies = new List<string>();
        var bits = 0;
        await using var smtp = await OpenAsync(node, c.Source);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));
        if (c.Tls)
        {
            var starttls = await smtp.CommandAsync("STARTTLS");
            replies.Add($"STARTTLS  ->  {starttls}");
            if (starttls!.StartsWith("220 ", StringComparison.Ordinal))
            {
                await smtp.StartTlsAsync(c.Certificate is null ? null : _pki.ClientCertificate(c.Certificate), SslProtocols.Tls13);
                bits = Bits(smtp.Tls!);
                Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));
            }
        }

        replies.Add($"MAIL FROM:<{c.From}>  ->  {await smtp.CommandAsync($"MAIL FROM:<{c.From}>")}");
        replies.Add($"RCPT TO:<{c.Rcpt}>  ->  {await smtp.CommandAsync($"RCPT TO:<{c.Rcpt}>")}");
        return (replies, bits);
    }

    /// <summary>The same case through <c>gateway map test --json</c>: the server's replies it predicts.</summary>
    private static async Task<List<string>> TraceAsync(string map, Case c, int bits)
    {
        List<string> args = ["test", "--map", map, "--client-addr", c.Source, "--from", c.From, "--rcpt", c.Rcpt, "--json"];
        if (c.Tls)
        {
            args.AddRange(["--verify", c.Verify, "--cipher-bits", bits.ToString(CultureInfo.InvariantCulture)]);
            args.AddRange(c.Subject.Length > 0 ? ["--cert-subject", c.Subject, "--cert-issuer", c.Issuer] : []);
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.True(await GatewayCommandLine.InvokeAsync(["map", .. args], new CommandLineConsole(output, error)) == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        return
        [
            .. json.RootElement.GetProperty("session").EnumerateArray()
                .Select(e => $"{e.GetProperty("command").GetString()}  ->  {e.GetProperty("reply").GetString()}"),
        ];
    }

    /// <summary>{cipher_bits} of the TLS 1.3 suite the server chose (RFC 8446 §B.4).</summary>
    private static int Bits(SslStream tls) => tls.NegotiatedCipherSuite switch
    {
        TlsCipherSuite.TLS_AES_128_GCM_SHA256 or TlsCipherSuite.TLS_AES_128_CCM_SHA256 or TlsCipherSuite.TLS_AES_128_CCM_8_SHA256 => 128,
        _ => 256,
    };

    /// <summary>One client: its address, what it sends, and the TLS macros the server will compute for it.</summary>
    private sealed record Case(
        string Source,
        string Rcpt,
        bool Tls = false,
        string? Certificate = null,
        string Verify = "",
        string Subject = "",
        string Issuer = "",
        string From = Sender);
}
