using System.Net;
using Gateway.Tests.Support;
using MailKit.Security;

namespace Gateway.Tests.Access;

/// <summary>
/// SPEC R58 with its host names: the node looks up each client's PTR name in a name server of the test's own, so
/// TLS_Clt:laptops.example.com and Srv_Features:laptops.example.com match pc7.laptops.example.com by the name step
/// of R55 exactly as in the spec. Only 10.1 is written 127.1, since 10.1.4.5 cannot be a loopback source address.
/// </summary>
public sealed partial class WorkedExamplesTests
{
    private const string ExampleAByName = """
        TLS_Clt:laptops.example.com        PERM+VERIFY:112
        TLS_Clt:127.1                      ENCR:128
        Srv_Features:laptops.example.com   v
        Srv_Features:                      V
        """;

    private readonly List<TinyDnsServer> _nameServers = [];

    [Fact]
    public async Task By_name_pc7_laptops_with_a_verified_certificate_sends_and_Received_names_it()
    {
        var node = await StartByNameAsync();
        using var client = MailKitClient(Laptop, _pki.ClientCertificate("client"));

        await client.ConnectAsync(node.Smtp.Address.ToString(), node.Smtp.Port, SecureSocketOptions.StartTls);
        await client.SendAsync(Message("pc7name@localhost", "laptop by name"));
        await client.DisconnectAsync(quit: true);

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(node.Maildir, "pc7name@localhost", 1));
        Assert.Contains("(pc7.laptops.example.com [127.0.7.7])", delivered, StringComparison.Ordinal);
        Assert.Matches(@"\(version=TLSv1\.3 cipher=\S+ bits=256 verify=OK\)", delivered);
    }

    [Fact]
    public async Task By_name_pc7_laptops_without_a_certificate_is_restricted_and_without_STARTTLS_needs_authentication()
    {
        var node = await StartByNameAsync();
        await using (var tls = await OpenTlsAsync(node, Laptop, certificate: null))
        {
            // The certificate was requested (Srv_Features:laptops.example.com v) and none came: {verify}=NO.
            Assert.Equal(NotAuthenticated, await tls.CommandAsync("MAIL FROM:<a@example.com>"));
        }

        await using var clear = await OpenAsync(node, Laptop);
        Assert.StartsWith("250", await clear.CommandAsync("EHLO client.example"));
        Assert.Equal("503 5.7.0 authentication required", await clear.CommandAsync("MAIL FROM:<a@example.com>"));
    }

    [Fact]
    public async Task By_name_a_client_without_PTR_in_the_network_gets_no_certificate_request_and_needs_128_bits()
    {
        var node = await StartByNameAsync();
        await using (var tls = await OpenTlsAsync(node, TenOneFourFive, certificate: null))
        {
            Assert.Empty(tls.AcceptableIssuers);
            Assert.StartsWith("250 ", await tls.CommandAsync("MAIL FROM:<a@example.com>"));
        }

        await using var clear = await OpenAsync(node, TenOneFourFive);
        Assert.StartsWith("250", await clear.CommandAsync("EHLO client.example"));
        Assert.Equal("454 4.7.0 encryption too weak 0 less than 128", await clear.CommandAsync("MAIL FROM:<a@example.com>"));
    }

    [Fact]
    public async Task By_name_mail_other_example_matches_nothing_and_sends_in_clear()
    {
        var node = await StartByNameAsync();
        using var client = MailKitClient(Other, certificate: null);

        await client.ConnectAsync(node.Smtp.Address.ToString(), node.Smtp.Port, SecureSocketOptions.None);
        await client.SendAsync(Message("othername@localhost", "other by name"));
        await client.DisconnectAsync(quit: true);

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(node.Maildir, "othername@localhost", 1));
        Assert.Contains("(mail.other.example [127.0.0.9])", delivered, StringComparison.Ordinal);
    }

    /// <summary>R58's clients with their names: pc7.laptops.example.com and mail.other.example confirmed, 127.1.4.5 without PTR.</summary>
    private async Task<TestNode> StartByNameAsync()
    {
        var dns = new TinyDnsServer()
            .Pointer(Laptop, "pc7.laptops.example.com").Addresses("pc7.laptops.example.com", Laptop)
            .Pointer(Other, "mail.other.example").Addresses("mail.other.example", Other)
            .PointerRcode(TenOneFourFive, 3);
        _nameServers.Add(dns);
        return await StartAsync(ExampleAByName, "--Dns:ReverseLookup=true", $"--Dns:Servers:0={dns.Endpoint}");
    }
}
