using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Gateway.Actors.Connection;
using Gateway.Actors.Metrics;
using Gateway.Protocol.Access;
using Gateway.Protocol.Client;
using Gateway.Protocol.Policy;
using Gateway.Protocol.Tls;

namespace Gateway.Actors.Relay;

/// <summary>STARTTLS as a client (SPEC R20–R25, R83) and the tls_server check that follows it on every connection (R24).</summary>
public sealed partial class SmtpClientActor
{
    private sealed record HandshakeTimeout
    {
        public static readonly HandshakeTimeout Instance = new();
    }

    /// <summary>R21–R22: the engine is made before STARTTLS is sent, so a local set-up failure leaves the session in clear ({verify}=TEMP).</summary>
    private void StartTls()
    {
        _tlsTried = true;
        var engine = new TlsClientEngine(_settings.Tls!(HostName));
        if (engine.Failed)
        {
            _facts = engine.Facts;
            _log.Warning("STARTTLS=client, relay={0}, error: TLS set-up failed: {1}", Relay, engine.FailureReason);
            CheckTlsServer();
            return;
        }

        _tls = engine;
        Send("STARTTLS");
        Await(new Expect(StepKind.StartTls, _settings.CommandTimeout));
    }

    /// <summary>R22's table.</summary>
    private void StartTlsReply(ServerReply reply)
    {
        if (reply.Code == 220)
        {
            Handshake();
            return;
        }

        _tls = null;
        _facts = TlsFacts.None with
        {
            Verify = reply.Class switch
            {
                4 => TlsClientVerifyValues.Temp,
                5 => TlsClientVerifyValues.None,
                _ => TlsClientVerifyValues.Protocol,
            },
        };
        _log.Info("STARTTLS=client, relay={0}, reply to STARTTLS: {1}, verify={2}", Relay, Text(reply), _facts.Verify);
        CheckTlsServer();
    }

    private void Handshake()
    {
        // R83 (RFC 3207 §4.2, CVE-2011-0411): whatever the server sent after its 220 and before the handshake was not
        // protected by TLS and may have been injected; it is thrown away unread, and said so.
        if (_replies.Pending > 0)
        {
            _log.Warning("STARTTLS=client, relay={0}, {1} byte(s) received after the 220 to STARTTLS discarded (possible response injection)", Relay, _replies.Pending);
        }

        _replies = new ReplyAssembler();
        _phase = Phase.Handshaking;
        Timers.Cancel(nameof(ReplyTimeout));
        Timers.StartSingleTimer(nameof(HandshakeTimeout), HandshakeTimeout.Instance, _settings.HandshakeTimeout);
        _transport!.Send(_tls!.TakeOutput());
        _transport.ReadWhenFlushed();
    }

    private void Handshaking(object message)
    {
        switch (message)
        {
            case Transport.Received received:
                var bytes = received.Data.ToArray();
                var progress = _tls!.Offer(bytes, 0, bytes.Length);
                _transport!.Send(_tls.TakeOutput());
                if (progress == TlsProgress.Failed)
                {
                    GatewayMetrics.RelayHandshakeFailed("failed");
                    HandshakeFailed(_tls.FailureReason);
                }
                else if (progress == TlsProgress.Established)
                {
                    Established();
                }
                else
                {
                    _transport.ReadWhenFlushed();
                }

                break;
            case HandshakeTimeout:
                GatewayMetrics.RelayHandshakeFailed("timeout");
                HandshakeFailed("handshake not completed in time");
                break;
            case Transport.Closed or Transport.Failed:
                GatewayMetrics.RelayHandshakeFailed("failed");
                HandshakeFailed("connection closed by the server during the handshake");
                break;
            default:
                Common(message);
                break;
        }
    }

    private void Established()
    {
        Timers.Cancel(nameof(HandshakeTimeout));
        var tls = _tls!;
        _facts = tls.Facts;
        GatewayMetrics.RelayHandshakeSucceeded(_facts.Version, _facts.Cipher, _facts.Verify);

        // sendmail's line (SPEC R80 level 9), with the reason for {verify} when it is not OK.
        _log.Info(string.Create(
            CultureInfo.InvariantCulture,
            $"STARTTLS=client, relay={Relay}, version={_facts.Version}, verify={_facts.Verify}, cipher={_facts.Cipher}, bits={_facts.CipherBits}/{_facts.AlgBits}{(_facts.Verify == TlsClientVerifyValues.Ok ? "" : $", reason={tls.VerifyReason}")}"));
        if (tls.ClientCertificateNote is { } note)
        {
            _log.Info("STARTTLS=client, relay={0}, no client certificate sent: {1}", Relay, note);
        }

        // R25: what was learnt in clear is forgotten; EHLO again, over TLS, and no second STARTTLS.
        _extensions = ServerExtensions.None;
        _phase = Phase.Opening;
        _replies.Append(tls.TakePlaintext());
        Ehlo(StepKind.EhloAgain);
        _transport!.ReadWhenFlushed();
    }

    /// <summary>
    /// R24: {verify}=SOFTWARE, tls_server refuses whatever the map says ("TLS handshake failed."), and the connection is
    /// closed at once, without QUIT, since the TLS state is unusable. R27's fallback to clear is off: the next host is tried.
    /// </summary>
    private void HandshakeFailed(string reason)
    {
        Timers.Cancel(nameof(HandshakeTimeout));
        _facts = TlsFacts.None with { Verify = TlsClientVerifyValues.Software };
        _log.Warning("STARTTLS=client, relay={0}, error: connect failed={1}, verify=SOFTWARE", Relay, reason);
        _transport?.Abort();
        _transport = null;
        CheckTlsServer();
    }

    /// <summary>R54's macros for tls_server: this connection's alone (R28), with {server_name} for a bare +CN.</summary>
    private TlsCheckInput Input() =>
        new(_facts.Verify, _facts.CipherBits, 0, _facts.CnSubject, _facts.CertSubject, _facts.CertIssuer, HostName);

    /// <summary>R24: after the STARTTLS decision, whatever its outcome, tls_server decides whether this connection may carry mail.</summary>
    private void CheckTlsServer() => AskTlsServer(Input());

    private void TlsServerDecided(Verdict verdict)
    {
        switch (ClientTlsDecision.AfterTlsServer(verdict, _facts.Verify))
        {
            case TlsServerOutcome.Quit quit:
                // R24: QUIT and close; a 4xx text defers the recipients, a 5xx fails them. The next host may do better.
                _log.Warning("STARTTLS=client, relay={0}, tls_server refused: {1}{2}", Relay, quit.Refusal.Diagnostic, ClientVerifyNote());
                HostFailed(quit.Refusal.Diagnostic, quit.Refusal.Permanent, quit: true);
                break;
            case TlsServerOutcome.Close close:
                // R24: the handshake failed, the TLS state is unusable: closed without QUIT (already, in HandshakeFailed).
                HostFailed(close.Refusal.Diagnostic, close.Refusal.Permanent, quit: false);
                break;
            default:
                BecomeReady();
                break;
        }
    }
}
