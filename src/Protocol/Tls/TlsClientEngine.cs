using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.X509;

namespace Gateway.Protocol.Tls;

/// <summary>
/// One TLS client session in BouncyCastle's non-blocking mode, the mirror of <see cref="TlsServerEngine"/>:
/// the ClientHello is waiting in <see cref="TakeOutput"/> as soon as it is built, ciphertext goes in
/// through <see cref="Offer"/>, plaintext both ways. It never touches a socket and never waits, so the
/// probe and the outbound relay drive it the same way.
/// </summary>
public sealed class TlsClientEngine
{
    private readonly TlsClientProtocol _protocol = new();
    private readonly GatewayTlsClient _client;
    private readonly TlsClientOptions _options;
    private bool _reported;

    public TlsClientEngine(TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _client = new GatewayTlsClient(options);
        try
        {
            _protocol.Connect(_client);
        }
        catch (IOException e)
        {
            // No suite or version usable with this crypto: local set-up failure, R22's TEMP.
            Fail(e.Message, TlsClientVerifyValues.Temp);
        }
    }

    public bool Established => _client.HandshakeComplete && !Failed;

    public bool Failed { get; private set; }

    /// <summary>The session is over (close_notify sent or received): <see cref="Write"/> is no longer allowed.</summary>
    public bool Closed => _protocol.IsClosed;

    /// <summary>Why the handshake or session failed (BouncyCastle's alert and message), for the log and the probe.</summary>
    public string FailureReason { get; private set; } = "";

    /// <summary>
    /// The session's macros once the handshake completes; <c>{verify}</c> is the verdict on the server's
    /// certificate (R23). After a failed handshake every macro is empty and <c>{verify}</c> is SOFTWARE (R24).
    /// </summary>
    public TlsFacts Facts { get; private set; } = TlsFacts.None;

    /// <summary>The server's chain, leaf first; empty when it sent none.</summary>
    public IReadOnlyList<X509Certificate> PeerChain { get; private set; } = [];

    /// <summary>Why {verify} is what it is (the verifier's reason).</summary>
    public string VerifyReason { get; private set; } = "";

    /// <summary>The SNI host name sent in the ClientHello, or null.</summary>
    public string? ServerNameSent => _client.SniName;

    /// <summary>Whether the server sent a CertificateRequest.</summary>
    public bool ClientCertificateRequested => _client.ClientCertificateRequested;

    /// <summary>Whether our certificate went out in answer to it.</summary>
    public bool ClientCertificateSent => _client.ClientCertificateSent;

    /// <summary>Why no certificate went out although the server asked and one was configured, or null.</summary>
    public string? ClientCertificateNote => _client.ClientCertificateNote;

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
            var reason = _client.LastAlert is not { } alert ? e.Message
                : alert.Contains(e.Message, StringComparison.Ordinal) ? alert
                : $"{alert} ({e.Message})";
            Fail(reason, TlsClientVerifyValues.Software);
            return TlsProgress.Failed;
        }

        if (_client.HandshakeComplete && !_reported)
        {
            _reported = true;
            Complete();

            // The server's Finished and its close_notify can arrive in one read (as in TlsServerEngine):
            // the facts are known, but nothing may be written any more.
            return _protocol.IsClosed ? TlsProgress.Closed : TlsProgress.Established;
        }

        return _protocol.IsClosed ? TlsProgress.Closed : _client.HandshakeComplete ? TlsProgress.Open : TlsProgress.Handshaking;
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
            Fail(e.Message, TlsClientVerifyValues.Software);
        }
    }

    /// <summary>Decrypted application data received so far (empty if none).</summary>
    public byte[] TakePlaintext() => TlsBuffers.TakeInput(_protocol);

    /// <summary>Ciphertext to send: the ClientHello, later flights, alerts, encrypted commands (empty if none).</summary>
    public byte[] TakeOutput() => TlsBuffers.TakeOutput(_protocol);

    /// <summary>Encrypts application data (commands); take the result with <see cref="TakeOutput"/>. Not after <see cref="Closed"/>.</summary>
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
            Fail(e.Message, TlsClientVerifyValues.Software);
        }
    }

    private void Fail(string reason, string verify)
    {
        if (!Established)
        {
            Facts = TlsFacts.None with { Verify = verify };
        }

        Failed = true;
        FailureReason = reason;
    }

    private void Complete()
    {
        var parameters = _client.Context.SecurityParameters;
        PeerChain = [.. _client.ServerChain.Select(c => new X509Certificate(c.GetEncoded()))];

        // R23: the client always expects a certificate, so none at all is NO, not NOT.
        var (verify, reason) = _options.Verifier.Verify(PeerChain);
        VerifyReason = reason;
        var leaf = PeerChain.Count > 0 ? X509CertificateStructure.GetInstance(PeerChain[0].GetEncoded()) : null;
        Facts = TlsFacts.Build(parameters.NegotiatedVersion, parameters.CipherSuite, verify, leaf, _options.DnFormat);
    }
}
