using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.X509;

namespace Gateway.Protocol.Tls;

/// <summary>
/// One TLS server session in BouncyCastle's non-blocking mode: ciphertext in (<see cref="Offer"/>),
/// ciphertext out (<see cref="TakeOutput"/>), plaintext both ways. It never touches a socket and
/// never waits, so the connection actor that owns it stays a plain message handler.
/// </summary>
public sealed class TlsServerEngine
{
    private readonly TlsServerProtocol _protocol = new();
    private readonly GatewayTlsServer _server;
    private readonly TlsServerOptions _options;
    private bool _reported;

    public TlsServerEngine(TlsServerOptions options)
    {
        _options = options;
        _server = new GatewayTlsServer(options);
        _protocol.Accept(_server);
    }

    public bool Established => _server.HandshakeComplete && !Failed;

    public bool Failed { get; private set; }

    /// <summary>Why the handshake or session failed (BouncyCastle's alert and message), for the log (SPEC R6).</summary>
    public string FailureReason { get; private set; } = "";

    /// <summary>The session's macros, set once the handshake completes (SPEC R7).</summary>
    public TlsFacts Facts { get; private set; } = TlsFacts.None;

    /// <summary>The client's chain, leaf first; empty without a client certificate.</summary>
    public IReadOnlyList<X509Certificate> PeerChain { get; private set; } = [];

    /// <summary>Why {verify} is what it is (the verifier's reason), for the log (R80 level 13).</summary>
    public string VerifyReason { get; private set; } = "";

    /// <summary>
    /// Feeds received ciphertext. Returns <see cref="TlsProgress.Established"/> exactly once, when this
    /// input completed the handshake; <see cref="TlsProgress.Failed"/> when the session is unusable.
    /// </summary>
    public TlsProgress Offer(byte[] data, int offset, int count)
    {
        if (Failed)
        {
            return TlsProgress.Failed;
        }

        try
        {
            _protocol.OfferInput(data, offset, count);
        }
        catch (IOException e)
        {
            // TlsFatalAlert / TlsFatalAlertReceived: the alert, if any, waits in the output.
            Fail(_server.LastAlert is { } alert ? $"{alert} ({e.Message})" : e.Message);
            return TlsProgress.Failed;
        }

        // The client's Finished, its first commands and its close_notify can arrive in one read;
        // reporting that as newly established made the connection write replies into a closed
        // session (InvalidOperationException from Write, and the actor restarted mid-stream).
        if (_protocol.IsClosed)
        {
            return TlsProgress.Closed;
        }

        if (_server.HandshakeComplete && !_reported)
        {
            _reported = true;
            Complete();
            return TlsProgress.Established;
        }

        return _server.HandshakeComplete ? TlsProgress.Open : TlsProgress.Handshaking;
    }

    /// <summary>The peer's TCP closed: no more input will come.</summary>
    public void CloseInput()
    {
        try
        {
            _protocol.CloseInput();
        }
        catch (IOException e)
        {
            Fail(e.Message);
        }
    }

    /// <summary>Decrypted application data received so far (empty if none).</summary>
    public byte[] TakePlaintext() => TlsBuffers.TakeInput(_protocol);

    /// <summary>Ciphertext to send: handshake flights, alerts, encrypted replies (empty if none).</summary>
    public byte[] TakeOutput() => TlsBuffers.TakeOutput(_protocol);

    /// <summary>Encrypts application data (replies); take the result with <see cref="TakeOutput"/>.</summary>
    public void Write(ReadOnlySpan<byte> plaintext)
    {
        if (!Established || _protocol.IsClosed)
        {
            throw new InvalidOperationException("TLS session is not open");
        }

        _protocol.WriteApplicationData(plaintext);
    }

    /// <summary>Sends close_notify (take it with <see cref="TakeOutput"/>).</summary>
    public void Close()
    {
        try
        {
            _protocol.Close();
        }
        catch (IOException e)
        {
            Fail(e.Message);
        }
    }

    private void Fail(string reason)
    {
        Failed = true;
        FailureReason = reason;
    }

    private void Complete()
    {
        var parameters = _server.Context.SecurityParameters;
        PeerChain = [.. _server.ClientChain.Select(c => new X509Certificate(c.GetEncoded()))];
        string verify;
        if (!_server.ClientCertificateRequested)
        {
            (verify, VerifyReason) = (VerifyValues.Not, "no certificate requested");
        }
        else
        {
            (verify, VerifyReason) = _options.Verifier.Verify(PeerChain);
        }

        var leaf = PeerChain.Count > 0 ? X509CertificateStructure.GetInstance(PeerChain[0].GetEncoded()) : null;
        Facts = TlsFacts.Build(parameters.NegotiatedVersion, parameters.CipherSuite, verify, leaf, _options.DnFormat);
    }
}

/// <summary>Where a TLS session stands after an input.</summary>
public enum TlsProgress
{
    Handshaking,
    Established,
    Open,
    Closed,
    Failed,
}
