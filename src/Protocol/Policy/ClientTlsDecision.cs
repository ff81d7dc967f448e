using Gateway.Protocol.Access;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Tls;

namespace Gateway.Protocol.Policy;

/// <summary>
/// Turns the relaying side's TLS verdicts into what happens on the connection (SPEC R24 for tls_server, R26 for
/// tls_rcpt). Pure: the client connection asks the PolicyActor, then asks here what to do with the answer.
/// </summary>
public static class ClientTlsDecision
{
    /// <summary>
    /// R24's text when tls_server refuses without one of its own, or accepts a failed handshake (a local hook, R67, may):
    /// sendmail's wording and its non-standard 403 (R53). Recorded for the queue and the report, never sent.
    /// </summary>
    public static readonly Reply ServerNotAuthenticated = new((ReplyCode)403, new EnhancedStatus(4, 7, 0), "server not authenticated.");

    /// <summary>
    /// R24: tls_server's <paramref name="verdict"/> for a connection whose <c>{verify}</c> is <paramref name="verify"/>.
    /// A handshake failure (SOFTWARE) always ends the connection, without QUIT, even when the verdict accepts; any
    /// other refusal sends QUIT first.
    /// </summary>
    public static TlsServerOutcome AfterTlsServer(Verdict verdict, string verify)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var handshakeFailed = verify == TlsClientVerifyValues.Software;
        if (!verdict.Refuses && !handshakeFailed)
        {
            return TlsServerOutcome.Proceed.Instance;
        }

        var refusal = new ClientTlsRefusal(verdict.Refuses && verdict.Text.Length > 0 ? verdict.ToReply() : ServerNotAuthenticated);
        return handshakeFailed ? new TlsServerOutcome.Close(refusal) : new TlsServerOutcome.Quit(refusal);
    }

    /// <summary>R26: tls_rcpt's <paramref name="verdict"/> for one recipient; a refusal carries the hook's code and status.</summary>
    public static TlsRcptOutcome BeforeRcpt(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Refuses ? new TlsRcptOutcome.SkipRcpt(new ClientTlsRefusal(verdict.ToReply())) : TlsRcptOutcome.SendRcpt.Instance;
    }
}
