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
    // R24: after a failed handshake every macro is empty and {verify} is SOFTWARE; made once, not per failure.
    private static readonly TlsFacts FailedHandshake = TlsFacts.None with { Verify = TlsClientVerifyValues.Software };
    private static readonly TlsFacts FailedSetUp = TlsFacts.None with { Verify = TlsClientVerifyValues.Temp };

    private readonly TlsEngineCore _core;
    private readonly GatewayTlsClient _client;

    public TlsClientEngine(TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var protocol = new TlsClientProtocol();
        _client = new GatewayTlsClient(options);
        _core = new TlsEngineCore(protocol, _client, FailedHandshake, server: false);
        try
        {
            protocol.Connect(_client);
        }
        catch (IOException e)
        {
            // No suite or version usable with this crypto: local set-up failure, R22's TEMP.
            _core.Fail(e.Message, FailedSetUp);
        }
    }

    public bool Established => _core.Established;

    public bool Failed => _core.Failed;

    /// <summary>The session is over (close_notify sent or received): <see cref="Write"/> is no longer allowed.</summary>
    public bool Closed => _core.Closed;

    /// <summary>Why the handshake or session failed (BouncyCastle's alert and message), for the log and the probe.</summary>
    public string FailureReason => _core.FailureReason;

    /// <summary>
    /// The session's macros once the handshake completes; <c>{verify}</c> is the verdict on the server's
    /// certificate (R23). After a failed handshake every macro is empty and <c>{verify}</c> is SOFTWARE (R24).
    /// </summary>
    public TlsFacts Facts => _core.Facts;

    /// <summary>The server's chain, leaf first; empty when it sent none.</summary>
    public IReadOnlyList<X509Certificate> PeerChain => _core.PeerChain;

    /// <summary>Why {verify} is what it is (the verifier's reason).</summary>
    public string VerifyReason => _core.VerifyReason;

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
    public TlsProgress Offer(byte[] data, int offset, int count) => _core.Offer(data, offset, count);

    /// <summary>The peer's TCP closed: no more input will come.</summary>
    public void CloseInput() => _core.CloseInput();

    /// <summary>Decrypted application data received so far (empty if none).</summary>
    public byte[] TakePlaintext() => _core.TakePlaintext();

    /// <summary>Ciphertext to send: the ClientHello, later flights, alerts, encrypted commands (empty if none).</summary>
    public byte[] TakeOutput() => _core.TakeOutput();

    /// <summary>Encrypts application data (commands); take the result with <see cref="TakeOutput"/>. Not after <see cref="Closed"/>.</summary>
    public void Write(ReadOnlySpan<byte> plaintext) => _core.Write(plaintext);

    /// <summary>Sends close_notify (take it with <see cref="TakeOutput"/>).</summary>
    public void Close() => _core.Close();
}
