using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.X509;

namespace Gateway.Protocol.Tls;

/// <summary>
/// What the server and client engines share: BouncyCastle's protocol in non-blocking mode (ciphertext
/// in and out, plaintext in and out, close), the failure once captured, and the session's facts once
/// the handshake completes. The engines add only their role: the protocol and callbacks they start.
/// Nothing here allocates per record beyond the arrays handed out by the Take methods.
/// </summary>
/// <param name="failedFacts">The facts after a failure before the handshake completed (null: leave them as they are).</param>
/// <param name="server">
/// The server side keeps its own two habits, which its log lines and the connection rely on: a failure reads
/// "alert (exception)" always (sendmail's <c>accept failed=</c> line), and a session already closed in the read that
/// completed the handshake is reported Closed without judging the client's certificate (nobody will use it).
/// </param>
internal sealed class TlsEngineCore(TlsProtocol protocol, ITlsCallbacks callbacks, TlsFacts? failedFacts, bool server)
{
    private bool _reported;

    public bool Established => callbacks.Notifications.HandshakeComplete && !Failed;

    public bool Failed { get; private set; }

    public bool Closed => protocol.IsClosed;

    public string FailureReason { get; private set; } = "";

    public TlsFacts Facts { get; private set; } = TlsFacts.None;

    public IReadOnlyList<X509Certificate> PeerChain { get; private set; } = [];

    public string VerifyReason { get; private set; } = "";

    public TlsProgress Offer(byte[] data, int offset, int count)
    {
        if (Failed)
        {
            return TlsProgress.Failed;
        }

        try
        {
            protocol.OfferInput(data, offset, count);
        }
        catch (IOException e)
        {
            // TlsFatalAlert / TlsFatalAlertReceived: the alert, if any, waits in the output.
            var reason = callbacks.Notifications.LastAlert is not { } alert ? e.Message
                : !server && alert.Contains(e.Message, StringComparison.Ordinal) ? alert
                : $"{alert} ({e.Message})";
            Fail(reason);
            return TlsProgress.Failed;
        }

        if (server && protocol.IsClosed)
        {
            return TlsProgress.Closed;
        }

        var complete = callbacks.Notifications.HandshakeComplete;
        if (complete && !_reported)
        {
            _reported = true;
            Complete();

            // The peer's Finished, its first data and its close_notify can arrive in one read: the facts
            // are known, but nothing may be written any more. Reporting that as newly established made the
            // connection write replies into a closed session (InvalidOperationException from Write, and
            // the actor restarted mid-stream).
            return protocol.IsClosed ? TlsProgress.Closed : TlsProgress.Established;
        }

        return protocol.IsClosed ? TlsProgress.Closed : complete ? TlsProgress.Open : TlsProgress.Handshaking;
    }

    public void CloseInput()
    {
        try
        {
            protocol.CloseInput();
        }
        catch (IOException e)
        {
            Fail(e.Message);
        }
    }

    public byte[] TakePlaintext()
    {
        var available = protocol.GetAvailableInputBytes();
        if (available == 0)
        {
            return [];
        }

        var plaintext = new byte[available];
        protocol.ReadInput(plaintext, 0, available);
        return plaintext;
    }

    public byte[] TakeOutput()
    {
        var available = protocol.GetAvailableOutputBytes();
        if (available == 0)
        {
            return [];
        }

        var output = new byte[available];
        protocol.ReadOutput(output, 0, available);
        return output;
    }

    public void Write(ReadOnlySpan<byte> plaintext)
    {
        if (!Established || protocol.IsClosed)
        {
            throw new InvalidOperationException("TLS session is not open");
        }

        protocol.WriteApplicationData(plaintext);
    }

    public void Close()
    {
        try
        {
            protocol.Close();
        }
        catch (IOException e)
        {
            Fail(e.Message);
        }
    }

    /// <summary>Records the first or a later failure; <paramref name="facts"/> replace the constructor's failed facts.</summary>
    public void Fail(string reason, TlsFacts? facts = null)
    {
        if (!Established && (facts ?? failedFacts) is { } failed)
        {
            Facts = failed;
        }

        Failed = true;
        FailureReason = reason;
    }

    private void Complete()
    {
        var parameters = callbacks.Context.SecurityParameters;
        PeerChain = [.. callbacks.ReceivedChain.Select(c => new X509Certificate(c.GetEncoded()))];
        var (verify, reason) = callbacks.Judge(PeerChain);
        VerifyReason = reason;
        var leaf = PeerChain.Count > 0 ? X509CertificateStructure.GetInstance(PeerChain[0].GetEncoded()) : null;
        Facts = TlsFacts.Build(parameters.NegotiatedVersion, parameters.CipherSuite, verify, leaf, callbacks.DnFormat);
    }
}
