using Akka.IO;
using Akka.Event;
using Gateway.Protocol.Policy;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;
using Gateway.Actors.Metrics;

namespace Gateway.Actors.Connection;

/// <summary>STARTTLS and implicit TLS (phase Handshaking): the BouncyCastle engine inside the actor, the handshake deadline, and the reset after it (SPEC R5–R8, R18).</summary>
public sealed partial class ConnectionActor
{
    private sealed record HandshakeTimeout
    {
        public static readonly HandshakeTimeout Instance = new();
    }

    private void BeginTls()
    {
        // R63: Srv_Features V/v for this client overrides Tls:RequestClientCert.
        _tls = new TlsServerEngine(_session.Policy.RequestClientCert is { } request ? _settings.Tls!.WithClientCertificateRequest(request) : _settings.Tls!);
        _now = Now.Handshaking;

        // A zero deadline (settings left at default) would end every handshake at once; SPEC R5's
        // gateway choice of 5 minutes applies instead.
        var deadline = _settings.HandshakeTimeout > TimeSpan.Zero ? _settings.HandshakeTimeout : TimeSpan.FromMinutes(5);
        Timers.StartSingleTimer(nameof(HandshakeTimeout), HandshakeTimeout.Instance, deadline);
    }

    /// <summary>Phase Handshaking: records in, the handshake's deadline, and no SMTP reply on any failure (SPEC R6).</summary>
    private void Handshaking(object message)
    {
        switch (message)
        {
            case Transport.Received r:
                PutOffIdleTimeout();
                ReceiveTls(r.Data);
                break;
            case HandshakeTimeout:
                LogAbove(5, "STARTTLS=server, error: accept failed=timeout, reason=handshake not completed within {0}, relay={1}",
                    _settings.HandshakeTimeout, _session.Relay);
                _counters.HandshakeFailed("timeout");
                CloseWithoutReply();
                break;
            case IdleTimeout:
                // Mid-handshake there is no channel to answer on (SPEC R6).
                _log.Info("{0}: idle timeout", _session.ClientAddress);
                _counters.HandshakeFailed("timeout");
                CloseWithoutReply();
                break;
            case Transport.Closed or Transport.Failed:
                // The client went away mid-handshake (a scanner, a client that gave up, a slowloris cut by the kernel):
                // counted, or a soak's 2,200 abandoned handshakes read as none failed.
                LogAbove(9, "STARTTLS=server, relay={0}, connection closed during the handshake", _session.Relay);
                _counters.HandshakeFailed("aborted");
                Common(message);
                break;
            default:
                Common(message);
                break;
        }
    }

    /// <summary>Ciphertext in: handshake progress, then decrypted commands for the usual pump.</summary>
    private void ReceiveTls(ByteString data)
    {
        if (!Decrypt(data, out var established))
        {
            return;
        }

        if (established)
        {
            Established(_tls!);
            if (_now.Phase != Phase.Commands)
            {
                // tls_client is being asked (R7 step 3); what the client sent meanwhile waits for its verdict.
                Flush();
                return;
            }
        }
        else if (_now.Phase == Phase.Handshaking)
        {
            _transport.ReadWhenFlushed();
            return;
        }

        Pump();
    }

    /// <summary>What arrives while the session waits (policy, spool): clear text kept as it is, TLS records decrypted, nothing framed yet.</summary>
    private void Keep(ByteString data)
    {
        if (_tls is null)
        {
            _input.Append(data);
            return;
        }

        _ = Decrypt(data, out _);
    }

    /// <summary>
    /// Offers ciphertext to the engine, sends what it answers, keeps the plaintext in the input; false when the TLS
    /// session ended or failed (the connection is then closing, without an SMTP reply: SPEC R6).
    /// </summary>
    private bool Decrypt(ByteString data, out bool established)
    {
        var tls = _tls!;
        var bytes = data.ToArray();
        var progress = tls.Offer(bytes, 0, bytes.Length);
        _transport.Send(tls.TakeOutput());
        established = progress == TlsProgress.Established;
        switch (progress)
        {
            case TlsProgress.Failed when !tls.Established:
                // SPEC R6: the stream is in an undefined state; close without an SMTP reply.
                LogAbove(5, "STARTTLS=server, error: accept failed={0}, relay={1}", tls.FailureReason, _session.Relay);
                _counters.HandshakeFailed("failed");
                CloseWithoutReply();
                return false;
            case TlsProgress.Failed:
                LogAbove(9, "STARTTLS=server, relay={0}, TLS session failed: {1}", _session.Relay, tls.FailureReason);
                CloseWithoutReply();
                return false;
            case TlsProgress.Closed:
                CloseWithoutReply();
                return false;
        }

        var plaintext = tls.TakePlaintext();
        if (plaintext.Length > 0)
        {
            _input.Append(plaintext);
        }

        return true;
    }

    /// <summary>SPEC R7: facts, log, forget the clear-text session (R8), greet if this is SMTPS (R18), then tls_client.</summary>
    private void Established(TlsServerEngine tls)
    {
        Timers.Cancel(nameof(HandshakeTimeout));
        var facts = tls.Facts;
        _counters.HandshakeSucceeded(facts.Version, facts.Cipher, facts.Verify);
        _countedEncrypted = true;
        _session = SessionRules.AfterTls(_session);
        LogAbove(8, "{0}", facts.LogSummary(_session.Relay));
        if (tls.ResumedBy is { } resumedBy)
        {
            var by = resumedBy == ResumedBy.Ticket ? "ticket" : "session_id";
            GatewayMetrics.SessionResumed(by);
            LogAbove(9, "STARTTLS=server, relay={0}, resumed a session by {1}", _session.Relay, by);
        }
        foreach (var (field, error) in new[] { ("cn_subject", facts.CnSubjectError), ("cn_issuer", facts.CnIssuerError) })
        {
            if (error != CnError.None)
            {
                // SPEC R43/R80: a certificate whose CN is missing, too long or has a NUL (level > 7 or > 8).
                var cn = new CnResult(null, error);
                LogAbove(cn.LogLevelAbove, "STARTTLS=server, relay={0}, field={1}, status={2}", _session.Relay, field, cn.LogStatus ?? "");
            }
        }

        if (facts.CertSubject.Length > 0 || tls.VerifyReason.Length > 0)
        {
            LogAbove(11, "STARTTLS=server, cert-subject={0}, cert-issuer={1}, verifymsg={2}", facts.CertSubject, facts.CertIssuer, tls.VerifyReason);
        }

        if (_settings.ImplicitTls)
        {
            ReplyWriter.Write(_output, SmtpReplies.Greeting(_settings.Session.Hostname));
        }

        _now = Now.Commands;
        if (_settings.Policy is not null)
        {
            // R7 step 3 / R10: tls_client with "STARTTLS"; a refusal puts the session in restricted mode, TLS stays up.
            Ask(PolicyCheck.Handshake.Instance, SessionPolicy.Begin(PolicyCheck.Handshake.Instance, _session, PolicyContext())!, Phase.AwaitingPolicy);
        }
    }
}
