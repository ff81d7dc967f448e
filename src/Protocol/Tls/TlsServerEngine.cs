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
    private readonly TlsEngineCore _core;
    private readonly GatewayTlsServer _server;

    public TlsServerEngine(TlsServerOptions options)
    {
        var protocol = new TlsServerProtocol();
        _server = new GatewayTlsServer(options);
        _core = new TlsEngineCore(protocol, _server, failedFacts: null, server: true);
        protocol.Accept(_server);
    }

    public bool Established => _core.Established;

    public bool Failed => _core.Failed;

    /// <summary>Why the handshake or session failed (BouncyCastle's alert and message), for the log (SPEC R6).</summary>
    public string FailureReason => _core.FailureReason;

    /// <summary>How the session was resumed (TLS 1.2 ticket or session ID); null after a full handshake.</summary>
    public ResumedBy? ResumedBy => _server.ResumedBy;

    /// <summary>The session's macros, set once the handshake completes (SPEC R7).</summary>
    public TlsFacts Facts => _core.Facts;

    /// <summary>The client's chain, leaf first; empty without a client certificate.</summary>
    public IReadOnlyList<X509Certificate> PeerChain => _core.PeerChain;

    /// <summary>Why {verify} is what it is (the verifier's reason), for the log (R80 level 13).</summary>
    public string VerifyReason => _core.VerifyReason;

    /// <summary>
    /// Feeds received ciphertext. Returns <see cref="TlsProgress.Established"/> exactly once, when this
    /// input completed the handshake; <see cref="TlsProgress.Failed"/> when the session is unusable.
    /// </summary>
    public TlsProgress Offer(byte[] data, int offset, int count) => _core.Offer(data, offset, count);

    /// <summary>The peer's TCP closed: no more input will come.</summary>
    public void CloseInput() => _core.CloseInput();

    /// <summary>Decrypted application data received so far (empty if none).</summary>
    public byte[] TakePlaintext() => _core.TakePlaintext();

    /// <summary>Ciphertext to send: handshake flights, alerts, encrypted replies (empty if none).</summary>
    public byte[] TakeOutput() => _core.TakeOutput();

    /// <summary>Encrypts application data (replies); take the result with <see cref="TakeOutput"/>.</summary>
    public void Write(ReadOnlySpan<byte> plaintext) => _core.Write(plaintext);

    /// <summary>Sends close_notify (take it with <see cref="TakeOutput"/>).</summary>
    public void Close() => _core.Close();
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
