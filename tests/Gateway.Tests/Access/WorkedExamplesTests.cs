using System.Net;
using System.Runtime.Versioning;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Gateway.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.Access;

/// <summary>
/// SPEC R58 (worked example A) and R62 (worked example C) end to end: a node started with Access:MapFile, real
/// clients (.NET's SslStream and MailKit) with real certificates from a test PKI, each client on its own source
/// address in 127/8 (all of it is loopback on Linux). Without reverse DNS {client_name} is the bracketed address, so
/// these maps turn the spec's host names into addresses (each map says how); WorkedExamplesTests.Names.cs runs R58
/// again with its host names, through a name server of the test's own.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed partial class WorkedExamplesTests : IAsyncLifetime
{
    // R58's map, translated:
    // * laptops.example.com → [127.0.7]: pc7.laptops.example.com is 127.0.7.7, whose {client_name} [127.0.7.7]
    //   misses and whose parent [127.0.7] hits, as TLS_Clt:pc7.laptops.example.com misses and
    //   TLS_Clt:laptops.example.com hits in the spec (the name step of R55).
    // * the 10.1 network → 127.1: [10.1.4.5] is 127.1.4.5; no bracketed name matches, the address step hits at 127.1.
    // * mail.other.example [198.51.100.9] → 127.0.0.9, which no entry names.
    private const string ExampleA = """
        TLS_Clt:[127.0.7]        PERM+VERIFY:112
        TLS_Clt:127.1            ENCR:128
        Srv_Features:[127.0.7]   v
        Srv_Features:            V
        """;

    private const string Laptop = "127.0.7.7";
    private const string TenOneFourFive = "127.1.4.5";
    private const string Other = "127.0.0.9";
    private const string NotAuthenticated = "503 5.7.0 not authenticated";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly TestPki _pki = new();
    private readonly List<TestNode> _nodes = [];
    private readonly string _maps;
    private readonly string _caFile;

    public WorkedExamplesTests()
    {
        _maps = Directory.CreateTempSubdirectory("gateway-worked-").FullName;
        File.SetUnixFileMode(_maps, SafeDirectory);
        _caFile = IssueExampleC();
    }

    private const UnixFileMode SafeFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode SafeDirectory = SafeFile | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        foreach (var dns in _nameServers)
        {
            await dns.DisposeAsync();
        }

        _pki.Dispose();
        Directory.Delete(_maps, recursive: true);
    }

    [Fact]
    public async Task A_laptop_with_a_verified_certificate_over_TLS_1_3_sends_and_Received_shows_verify_OK()
    {
        var node = await StartAsync(ExampleA);
        using var client = MailKitClient(Laptop, _pki.ClientCertificate("client"));

        await client.ConnectAsync(node.Smtp.Address.ToString(), node.Smtp.Port, SecureSocketOptions.StartTls);
        await client.SendAsync(Message("pc7@localhost", "laptop"));
        await client.DisconnectAsync(quit: true);

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(node.Maildir, "pc7@localhost", 1));
        Assert.Contains($"([{Laptop}])", delivered, StringComparison.Ordinal);
        Assert.Matches(@"\(version=TLSv1\.3 cipher=\S+ bits=256 verify=OK\)", delivered);
    }

    [Fact]
    public async Task A_laptop_without_a_certificate_is_restricted_after_STARTTLS_and_closed_after_25_refusals()
    {
        var node = await StartAsync(ExampleA);
        await using var smtp = await OpenTlsAsync(node, Laptop, certificate: null);
        string[] refusable = ["MAIL FROM:<a@example.com>", "RCPT TO:<u@localhost>", "DATA", "VRFY u", "HELP", "STARTTLS"];

        // Srv_Features v asked for a certificate and none came: {verify}=NO, PERM+VERIFY:112 refuses (R57 row 14).
        Assert.Equal(NotAuthenticated, await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
        for (var refused = 2; refused <= 25; refused++)
        {
            Assert.StartsWith("250 ", await smtp.CommandAsync("NOOP"));
            Assert.StartsWith("250 ", await smtp.CommandAsync("RSET"));
            Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));
            Assert.Equal(NotAuthenticated, await smtp.CommandAsync(refusable[refused % refusable.Length]));
        }

        Assert.Equal("421 4.7.0 mx.test.example Too many bad commands; closing connection", await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
        Assert.Null(await smtp.ReadReplyAsync());
    }

    [Fact]
    public async Task A_restricted_laptop_can_still_QUIT()
    {
        var node = await StartAsync(ExampleA);
        await using var smtp = await OpenTlsAsync(node, Laptop, certificate: null);
        Assert.Equal(NotAuthenticated, await smtp.CommandAsync("MAIL FROM:<a@example.com>"));

        Assert.StartsWith("221 2.0.0 ", await smtp.CommandAsync("QUIT"));
        Assert.Null(await smtp.ReadReplyAsync());
    }

    [Fact]
    public async Task A_laptop_without_STARTTLS_is_refused_at_MAIL_with_authentication_required()
    {
        var node = await StartAsync(ExampleA);
        await using var smtp = await OpenAsync(node, Laptop);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));

        // R11: tls_client again at MAIL, {verify} empty (R12).
        Assert.Equal("503 5.7.0 authentication required", await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
    }

    [Fact]
    public async Task The_10_1_network_over_STARTTLS_without_a_certificate_request_sends_with_verify_NOT()
    {
        var node = await StartAsync(ExampleA);
        await using var smtp = await OpenTlsAsync(node, TenOneFourFive, _pki.ClientCertificate("client"));

        await SendAsync(smtp, "ten@localhost");

        // Srv_Features: V: no certificate was asked for, so the one on offer was never sent.
        var delivered = Assert.Single(await MaildirReader.WaitForAsync(node.Maildir, "ten@localhost", 1));
        Assert.Contains($"([{TenOneFourFive}])", delivered, StringComparison.Ordinal);
        Assert.Matches(@"\(version=TLSv1\.3 cipher=\S+ bits=256 verify=NOT\)", delivered);
    }

    [Fact]
    public async Task The_10_1_network_without_STARTTLS_is_refused_at_MAIL_as_encryption_too_weak()
    {
        var node = await StartAsync(ExampleA);
        await using var smtp = await OpenAsync(node, TenOneFourFive);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));

        Assert.Equal("454 4.7.0 encryption too weak 0 less than 128", await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Another_client_sends_with_or_without_TLS(bool tls)
    {
        var node = await StartAsync(ExampleA);
        var rcpt = tls ? "other-tls@localhost" : "other-clear@localhost";
        using var client = MailKitClient(Other, certificate: null);

        await client.ConnectAsync(node.Smtp.Address.ToString(), node.Smtp.Port, tls ? SecureSocketOptions.StartTls : SecureSocketOptions.None);
        await client.SendAsync(Message(rcpt, "other"));
        await client.DisconnectAsync(quit: true);

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(node.Maildir, rcpt, 1));
        Assert.Contains($"([{Other}])", delivered, StringComparison.Ordinal);
        var comment = TlsComment().Match(delivered);
        Assert.Equal(tls, comment.Success);
        Assert.Equal(tls ? "NOT" : "", comment.Groups["verify"].Value);
    }

    /// <summary>A node with the map (written 0644 in a 0755 directory, R34) serving the PKI's server certificate.</summary>
    private async Task<TestNode> StartAsync(string map, params string[] switches)
    {
        var node = await TestNode.StartAsync(
        [
            $"--Tls:ServerCertFile={_pki.CertFile("server")}",
            $"--Tls:ServerKeyFile={_pki.KeyFile("server")}",
            $"--Tls:CACertFile={_caFile}",
            $"--Access:MapFile={WriteMap(map)}",
            .. switches,
        ]);
        _nodes.Add(node);
        return node;
    }

    private string WriteMap(string map)
    {
        var file = Path.Combine(_maps, "access");
        File.WriteAllText(file, map + "\n");
        File.SetUnixFileMode(file, SafeFile);
        return file;
    }

    private static async Task<SmtpStream> OpenAsync(TestNode node, string source)
    {
        var smtp = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse(source));
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync());
        return smtp;
    }

    /// <summary>Greeting, EHLO, STARTTLS, a TLS 1.3 handshake with SslStream, and EHLO again.</summary>
    private static async Task<SmtpStream> OpenTlsAsync(TestNode node, string source, X509Certificate2? certificate)
    {
        var smtp = await OpenAsync(node, source);
        Assert.Contains("STARTTLS", await smtp.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        Assert.StartsWith("220 ", await smtp.CommandAsync("STARTTLS"));
        await smtp.StartTlsAsync(certificate, SslProtocols.Tls13);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"));
        return smtp;
    }

    private static async Task SendAsync(SmtpStream smtp, string rcpt, string subject = "worked example")
    {
        Assert.StartsWith("250 ", await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
        Assert.StartsWith("250 ", await smtp.CommandAsync($"RCPT TO:<{rcpt}>"));
        Assert.StartsWith("354 ", await smtp.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await smtp.CommandAsync($"Subject: {subject}\r\n\r\nhello\r\n."));
    }

    private static SmtpClient MailKitClient(string source, X509Certificate2? certificate)
    {
        var client = new SmtpClient
        {
            LocalEndPoint = new IPEndPoint(IPAddress.Parse(source), 0),
            ServerCertificateValidationCallback = (_, _, _, _) => true,
            CheckCertificateRevocation = false,
            SslProtocols = SslProtocols.Tls13,
        };
        if (certificate is not null)
        {
            client.ClientCertificates = [certificate];
        }

        return client;
    }

    private static MimeMessage Message(string rcpt, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("a@example.com"));
        message.To.Add(MailboxAddress.Parse(rcpt));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "hello" };
        return message;
    }

    [GeneratedRegex(@"\(version=\S+ cipher=\S+ bits=\d+ verify=(?<verify>[A-Z]+)\)")]
    private static partial Regex TlsComment();
}
