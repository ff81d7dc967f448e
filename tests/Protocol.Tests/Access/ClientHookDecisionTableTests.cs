using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

/// <summary>
/// SPEC R57's decision table through the client-side hooks: tls_server with a <c>TLS_Srv:</c> entry for the server and
/// tls_rcpt with a <c>TLS_Rcpt:</c> entry for the recipient (R54, shared by both). Rows 4 (NOT) and 7 (empty) are
/// left out: those <c>{verify}</c> values exist only in the server role (R41). Rows 16–19 have no entry, so they are
/// tls_server's (R54 step 2); tls_rcpt without an entry accepts them (R55).
/// </summary>
public class ClientHookDecisionTableTests
{
    private const string Server = "mx.example.net";
    private const string Recipient = "u@example.net";

    public static TheoryData<int, string, string?, int, int, string, ReplyCodeStyle, string> Rows => new()
    {
        { 1, "OK", "VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "" },
        { 2, "NO", "VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 not authenticated" },
        { 3, "FAIL", "VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 authentication failed" },
        { 5, "NONE", "VERIFY", 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 other side does not support STARTTLS" },
        { 6, "CLEAR", "VERIFY", 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 STARTTLS disabled locally" },
        { 8, "TEMP", "VERIFY", 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 authentication failure TEMP" },
        { 9, "OK", "VERIFY:128", 112, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 encryption too weak 112 less than 128" },
        { 10, "OK", "VERIFY:128", 112, 128, "", ReplyCodeStyle.Sendmail, "" },
        { 11, "FAIL", "ENCR:128", 256, 0, "", ReplyCodeStyle.Sendmail, "" },
        { 12, "NONE", "ENCR:128", 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 encryption too weak 0 less than 128" },
        { 13, "OK", "PERM+VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "" },
        { 14, "NO", "PERM+VERIFY:112", 256, 0, "", ReplyCodeStyle.Sendmail, "503 5.7.0 not authenticated" },
        { 15, "FAIL", "TEMP+ENCR:112", 56, 0, "", ReplyCodeStyle.Sendmail, "403 4.7.0 encryption too weak 56 less than 112" },
        { 16, "SOFTWARE", null, 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 TLS handshake failed." },
        { 17, "SOFTWARE", "PERM+ENCR:1", 0, 0, "", ReplyCodeStyle.Sendmail, "503 5.7.0 TLS handshake failed." },
        { 18, "PROTOCOL", null, 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 STARTTLS failed." },
        { 19, "CONFIG", null, 0, 0, "", ReplyCodeStyle.Sendmail, "454 4.7.0 STARTTLS temporarily not possible." },
        { 20, "NO", "OK", 0, 0, "", ReplyCodeStyle.Sendmail, "" },
        { 21, "NO", null, 0, 0, "", ReplyCodeStyle.Sendmail, "" },
        { 22, "OK", "VERIFY+CN:mx.example.net", 256, 0, "MX.Example.NET", ReplyCodeStyle.Sendmail, "" },
        { 23, "OK", "VERIFY+CN:mx.example.net", 256, 0, "other.example.net", ReplyCodeStyle.Sendmail, "454 4.7.0 CN other.example.net does not match mx.example.net" },
        { 24, "TRUSTED", "VERIFY", 256, 0, "", ReplyCodeStyle.Sendmail, "" },
        { 25, "OK", "verify:112", 256, 0, "", ReplyCodeStyle.Sendmail, "" },
        { 26, "NO", "VERIFY", 256, 0, "", ReplyCodeStyle.SendmailPermErr, "554 5.7.0 not authenticated" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void R57_row_through_tls_server_gives_the_result_of_the_table(
        int row, string verify, string? value, int cipherBits, int authSsf, string cnSubject, ReplyCodeStyle style, string expected)
    {
        var map = value is null ? AccessMap.Empty : AccessMap.Parse($"TLS_Srv:{Server} {value}", "access");
        var input = new TlsCheckInput(verify, cipherBits, authSsf, CnSubject: cnSubject);

        var answer = AccessPolicy.TlsServer(map, new AccessPolicySettings(style), input, Server, "192.0.2.7");

        Assert.InRange(row, 1, 26);
        Assert.Equal(value is not null, answer.Lookups[0].Found);
        Assert.Equal(expected, answer.Verdict.Reply);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void R57_row_through_tls_rcpt_gives_the_result_of_the_table_when_the_recipient_has_an_entry(
        int row, string verify, string? value, int cipherBits, int authSsf, string cnSubject, ReplyCodeStyle style, string expected)
    {
        var map = value is null ? AccessMap.Empty : AccessMap.Parse($"TLS_Rcpt:{Recipient} {value}", "access");
        var input = new TlsCheckInput(verify, cipherBits, authSsf, CnSubject: cnSubject, PeerName: Server);

        var answer = AccessPolicy.TlsRcpt(map, new AccessPolicySettings(style), input, Recipient);

        Assert.InRange(row, 1, 26);
        Assert.Equal(value is null ? "" : expected, answer.Verdict.Reply);
    }
}
