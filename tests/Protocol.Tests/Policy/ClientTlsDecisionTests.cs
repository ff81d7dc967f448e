using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;

namespace Gateway.Protocol.Tests.Policy;

/// <summary>SPEC R24 and R26: what the relaying client does with tls_server's and tls_rcpt's verdicts.</summary>
public class ClientTlsDecisionTests
{
    [Theory]
    [InlineData("OK")]
    [InlineData("NONE")]
    [InlineData("CLEAR")]
    public void R24_an_accepting_tls_server_lets_the_connection_proceed(string verify)
    {
        var outcome = ClientTlsDecision.AfterTlsServer(Verdict.Continue, verify);

        Assert.Same(TlsServerOutcome.Proceed.Instance, outcome);
    }

    [Fact]
    public void R24_a_4xx_refusal_sends_quit_and_defers_with_the_hooks_reply()
    {
        var outcome = ClientTlsDecision.AfterTlsServer(Verdict.Reject(454, "4.7.0", "not authenticated"), "NO");

        var quit = Assert.IsType<TlsServerOutcome.Quit>(outcome);
        Assert.False(quit.Refusal.Permanent);
        Assert.Equal(("454 4.7.0 not authenticated", "4.7.0"), (quit.Refusal.Diagnostic, quit.Refusal.Status.ToString()));
        Assert.Equal("Deferred: 454 4.7.0 not authenticated", quit.Refusal.QueueStatus);
    }

    [Fact]
    public void R24_a_5xx_refusal_sends_quit_and_fails_the_recipients()
    {
        var outcome = ClientTlsDecision.AfterTlsServer(Verdict.Reject(503, "5.7.0", "not authenticated"), "NO");

        var quit = Assert.IsType<TlsServerOutcome.Quit>(outcome);
        Assert.True(quit.Refusal.Permanent);
        Assert.Equal(("503 5.7.0 not authenticated", "5.7.0"), (quit.Refusal.Diagnostic, quit.Refusal.Status.ToString()));
        Assert.Null(quit.Refusal.QueueStatus);
    }

    [Theory]
    [InlineData(454, "4.7.0", false)]
    [InlineData(503, "5.7.0", true)]
    public void R24_a_failed_handshake_closes_without_quit_and_the_first_digit_still_decides(int code, string status, bool permanent)
    {
        var outcome = ClientTlsDecision.AfterTlsServer(Verdict.Reject(code, status, "TLS handshake failed."), "SOFTWARE");

        var close = Assert.IsType<TlsServerOutcome.Close>(outcome);
        Assert.Equal(permanent, close.Refusal.Permanent);
        Assert.Equal($"{code} {status} TLS handshake failed.", close.Refusal.Diagnostic);
    }

    [Fact]
    public void R24_a_failed_handshake_closes_even_when_the_hook_accepts_and_says_server_not_authenticated()
    {
        var outcome = ClientTlsDecision.AfterTlsServer(Verdict.Continue, "SOFTWARE");

        var close = Assert.IsType<TlsServerOutcome.Close>(outcome);
        Assert.Equal("403 4.7.0 server not authenticated.", close.Refusal.Diagnostic);
        Assert.Equal("Deferred: 403 4.7.0 server not authenticated.", close.Refusal.QueueStatus);
    }

    [Fact]
    public void R24_a_refusal_without_text_is_recorded_as_server_not_authenticated()
    {
        var outcome = ClientTlsDecision.AfterTlsServer(new Verdict(VerdictKind.Reject), "NO");

        var quit = Assert.IsType<TlsServerOutcome.Quit>(outcome);
        Assert.Equal("403 4.7.0 server not authenticated.", quit.Refusal.Diagnostic);
    }

    [Fact]
    public void R26_an_accepting_tls_rcpt_sends_the_rcpt()
    {
        var outcome = ClientTlsDecision.BeforeRcpt(Verdict.Continue);

        Assert.Same(TlsRcptOutcome.SendRcpt.Instance, outcome);
    }

    [Theory]
    [InlineData(403, "4.7.0", "authentication failed", false)]
    [InlineData(503, "5.7.0", "not authenticated", true)]
    [InlineData(554, "5.7.0", "encryption too weak 0 less than 128", true)]
    public void R26_a_refusing_tls_rcpt_skips_the_rcpt_with_the_hooks_code_and_status(int code, string status, string text, bool permanent)
    {
        var outcome = ClientTlsDecision.BeforeRcpt(Verdict.Reject(code, status, text));

        var skip = Assert.IsType<TlsRcptOutcome.SkipRcpt>(outcome);
        Assert.Equal(permanent, skip.Refusal.Permanent);
        Assert.Equal(status, skip.Refusal.Status.ToString());
        Assert.Equal($"{code} {status} {text}", skip.Refusal.Diagnostic);
    }
}
