using System.Runtime.Versioning;
using System.Security.Cryptography;
using Gateway.Configuration;
using Gateway.Protocol.Tls;
using Gateway.Tests.Support;

namespace Gateway.Tests.Tls;

/// <summary>
/// TLS 1.2 session resumption judged by OpenSSL's s_client (an independent client that keeps its session in a file,
/// as Postfix keeps its TLS session cache): by ticket on this node and on any node holding the same
/// Tls:SessionTicketKeyFile, by session ID on this node only, with the client certificate's verdict carried over; and
/// no resumption for TLS 1.3 or with Tls:SessionCacheTimeout=0.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SessionResumptionTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly string _keyFile;
    private readonly string _mapFile;

    public SessionResumptionTests()
    {
        _keyFile = Path.Combine(_pki.Directory, "ticket.key");
        File.WriteAllText(_keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) + "\n");
        File.SetUnixFileMode(_keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // {verify} must be OK before MAIL (R52), and the client's issuer may relay (R60): a resumed session that lost
        // its certificate gets 403 at MAIL and 550 at RCPT.
        var issuer = HexQuoting.Encode(DnRenderer.OneLine(_pki.Ca.Certificate.SubjectDN, DnFormat.OpenSsl3));
        _mapFile = Path.Combine(_pki.Directory, "access");
        File.WriteAllText(_mapFile, $"TLS_Clt:127.0.0.1 VERIFY\nCertIssuer:{issuer} RELAY\n");
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task A_TLS_1_2_session_is_resumed_by_its_ticket_and_keeps_the_client_certificate()
    {
        await using var node = await TestNode.StartAsync(Switches());
        var session = Path.Combine(_pki.Directory, "ticket.session");

        var full = Dialog(node, "-tls1_2", "-cert", _pki.CertFile("client"), "-key", _pki.KeyFile("client"), "-sess_out", session);
        Assert.Contains("New, TLSv1.2", full, StringComparison.Ordinal);
        Assert.Contains("TLS session ticket lifetime hint: 3600", full, StringComparison.Ordinal);
        AssertRelayed(full);

        // No certificate offered this time: the session remembers the first one.
        var resumed = Dialog(node, "-tls1_2", "-sess_in", session);
        Assert.Contains("Reused, TLSv1.2", resumed, StringComparison.Ordinal);
        AssertRelayed(resumed);
    }

    [Fact]
    public async Task A_ticket_resumes_on_another_node_with_the_same_key_file_and_not_on_one_without()
    {
        await using var first = await TestNode.StartAsync(Switches());
        await using var sibling = await TestNode.StartAsync(Switches());
        await using var stranger = await TestNode.StartAsync(_pki.ServerSwitches());
        var session = Path.Combine(_pki.Directory, "shared.session");

        Assert.Contains("New, TLSv1.2", SClient(first, "-tls1_2", "-sess_out", session), StringComparison.Ordinal);

        Assert.Contains("Reused, TLSv1.2", SClient(sibling, "-tls1_2", "-sess_in", session), StringComparison.Ordinal);
        Assert.Contains("New, TLSv1.2", SClient(stranger, "-tls1_2", "-sess_in", session), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodes_without_a_key_file_each_have_their_own_ticket_key()
    {
        // Each node's secret comes from its own seeded generator: drawn before the seeding, every node had the same.
        await using var first = await TestNode.StartAsync(_pki.ServerSwitches());
        await using var second = await TestNode.StartAsync(_pki.ServerSwitches());
        var session = Path.Combine(_pki.Directory, "own.session");

        Assert.Contains("New, TLSv1.2", SClient(first, "-tls1_2", "-sess_out", session), StringComparison.Ordinal);

        Assert.Contains("Reused, TLSv1.2", SClient(first, "-tls1_2", "-sess_in", session), StringComparison.Ordinal);
        Assert.Contains("New, TLSv1.2", SClient(second, "-tls1_2", "-sess_in", session), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_tickets_a_client_resumes_by_session_id_on_the_node_that_has_it_only()
    {
        await using var node = await TestNode.StartAsync(Switches());
        await using var sibling = await TestNode.StartAsync(Switches());
        var session = Path.Combine(_pki.Directory, "id.session");

        var full = Dialog(node, "-tls1_2", "-no_ticket", "-cert", _pki.CertFile("client"), "-key", _pki.KeyFile("client"), "-sess_out", session);
        Assert.Contains("New, TLSv1.2", full, StringComparison.Ordinal);
        Assert.DoesNotContain("TLS session ticket", full, StringComparison.Ordinal);

        var resumed = Dialog(node, "-tls1_2", "-no_ticket", "-sess_in", session);
        Assert.Contains("Reused, TLSv1.2", resumed, StringComparison.Ordinal);
        AssertRelayed(resumed);

        // The master secret never leaves its node: elsewhere the ID is unknown and the handshake is full.
        Assert.Contains("New, TLSv1.2", SClient(sibling, "-tls1_2", "-no_ticket", "-sess_in", session), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TLS_1_3_sessions_and_a_node_with_resumption_off_make_full_handshakes()
    {
        await using var node = await TestNode.StartAsync(Switches());
        await using var off = await TestNode.StartAsync([.. Switches(), "--Tls:SessionCacheTimeout=0"]);
        var tls13 = Path.Combine(_pki.Directory, "tls13.session");
        var tls12 = Path.Combine(_pki.Directory, "tls12.session");

        // BouncyCastle's server has no TLS 1.3 resumption (README): no ticket is issued, so the client has nothing to keep.
        Assert.Contains("New, TLSv1.3", SClient(node, "-tls1_3", "-sess_out", tls13), StringComparison.Ordinal);
        Assert.False(File.Exists(tls13));

        var full = SClient(off, "-tls1_2", "-sess_out", tls12);
        Assert.Contains("New, TLSv1.2", full, StringComparison.Ordinal);
        Assert.DoesNotContain("TLS session ticket", full, StringComparison.Ordinal);
        Assert.Contains("Session-ID: \n", full, StringComparison.Ordinal);
        Assert.False(File.Exists(tls12));
    }

    [Fact]
    public async Task A_key_file_that_is_too_short_or_readable_by_all_stops_start_up_naming_the_key()
    {
        File.WriteAllText(_keyFile, Convert.ToBase64String(new byte[16]));
        var tooShort = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync(Switches()));
        Assert.Equal("Tls:SessionTicketKeyFile", tooShort.Key);
        Assert.Contains("at least 32 random bytes in base64", tooShort.Message, StringComparison.Ordinal);

        File.WriteAllText(_keyFile, Convert.ToBase64String(new byte[48]));
        File.SetUnixFileMode(_keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var unsafeFile = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync(Switches()));
        Assert.Equal("Tls:SessionTicketKeyFile", unsafeFile.Key);
        Assert.Contains("unsafe", unsafeFile.Message, StringComparison.Ordinal);
    }

    private static void AssertRelayed(string dialog)
    {
        Assert.Contains("250 2.1.0", dialog, StringComparison.Ordinal);
        Assert.Contains("250 2.1.5", dialog, StringComparison.Ordinal);
        Assert.DoesNotContain("Relaying denied", dialog, StringComparison.Ordinal);
    }

    private string[] Switches() =>
        [.. _pki.ServerSwitches(), $"--Tls:SessionTicketKeyFile={_keyFile}", $"--Access:MapFile={_mapFile}"];

    /// <summary>A handshake only: s_client with stdin closed.</summary>
    private static string SClient(TestNode node, params string[] options) => CaOpenSsl.StartTls(node.Smtp, options);

    /// <summary>The handshake, then EHLO again (RFC 3207 §4.2), MAIL and RCPT to a remote domain over it (sent at once: the node offers PIPELINING), then QUIT.</summary>
    private static string Dialog(TestNode node, params string[] options) =>
        CaOpenSsl.RunWithInput(
            ["s_client", "-starttls", "smtp", "-connect", node.Smtp.ToString(), "-crlf", "-ign_eof", .. options],
            "EHLO relay1.example.com\nMAIL FROM:<partner@relay1.example.com>\nRCPT TO:<x@remote.example>\nQUIT\n").Output;
}
