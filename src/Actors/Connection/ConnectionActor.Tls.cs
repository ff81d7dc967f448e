using Akka.IO;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;

namespace Gateway.Actors.Connection;

/// <summary>STARTTLS and implicit TLS: the BouncyCastle engine inside the actor, the handshake deadline, and the reset after it (SPEC R5–R8, R18).</summary>
public sealed partial class ConnectionActor
{
    private void BeginTls()
    {
        // R63: Srv_Features V/v for this client overrides Tls:RequestClientCert.
        _tls = new TlsServerEngine(_requestClientCert is { } request ? _settings.Tls!.WithClientCertificateRequest(request) : _settings.Tls!);
        // A zero deadline (settings left at default) would end every handshake at once; SPEC R5's
        // gateway choice of 5 minutes applies instead.
        var deadline = _settings.HandshakeTimeout > TimeSpan.Zero ? _settings.HandshakeTimeout : TimeSpan.FromMinutes(5);
        Timers.StartSingleTimer(nameof(HandshakeTimeout), HandshakeTimeout.Instance, deadline);
    }

    /// <summary>Ciphertext in: handshake progress, then decrypted commands for the usual pump.</summary>
    private void ReceiveTls(ByteString data)
    {
        var tls = _tls!;
        var bytes = data.ToArray();
        var progress = tls.Offer(bytes, 0, bytes.Length);
        _transport.Send(tls.TakeOutput());
        switch (progress)
        {
            case TlsProgress.Failed when !tls.Established:
                // SPEC R6: the stream is in an undefined state; close without an SMTP reply.
                LogAbove(5, "STARTTLS=server, error: accept failed={0}, relay={1}", tls.FailureReason, Relay);
                CloseWithoutReply();
                return;
            case TlsProgress.Failed:
                LogAbove(9, "STARTTLS=server, relay={0}, TLS session failed: {1}", Relay, tls.FailureReason);
                CloseWithoutReply();
                return;
            case TlsProgress.Closed:
                CloseWithoutReply();
                return;
            case TlsProgress.Established:
                Established(tls);
                if (_afterPolicy is not null)
                {
                    // tls_client is being asked (R7 step 3); what the client sent meanwhile waits its verdict.
                    _input.Append(tls.TakePlaintext());
                    Flush();
                    return;
                }

                break;
            case TlsProgress.Handshaking:
                _transport.ReadWhenFlushed();
                return;
        }

        var plaintext = tls.TakePlaintext();
        if (plaintext.Length > 0)
        {
            _input.Append(plaintext);
        }

        Pump();
    }

    /// <summary>SPEC R7: facts, log, forget the clear-text session (R8), and greet if this is SMTPS (R18).</summary>
    private void Established(TlsServerEngine tls)
    {
        Timers.Cancel(nameof(HandshakeTimeout));
        _facts = tls.Facts;
        _session = SessionRules.AfterTls(_session);
        LogAbove(8, "{0}", _facts.LogSummary(Relay));
        foreach (var (field, error) in new[] { ("cn_subject", _facts.CnSubjectError), ("cn_issuer", _facts.CnIssuerError) })
        {
            if (error != CnError.None)
            {
                // SPEC R43/R80: a certificate whose CN is missing, too long or has a NUL (level > 7 or > 8).
                var cn = new CnResult(null, error);
                LogAbove(cn.LogLevelAbove, "STARTTLS=server, relay={0}, field={1}, status={2}", Relay, field, cn.LogStatus ?? "");
            }
        }

        if (_facts.CertSubject.Length > 0 || tls.VerifyReason.Length > 0)
        {
            LogAbove(11, "STARTTLS=server, cert-subject={0}, cert-issuer={1}, verifymsg={2}", _facts.CertSubject, _facts.CertIssuer, tls.VerifyReason);
        }

        if (_settings.ImplicitTls)
        {
            ReplyWriter.Write(_output, SmtpReplies.Greeting(_settings.Session.Hostname));
        }

        if (_settings.Policy is not null)
        {
            // R7 step 3 / R10: tls_client with "STARTTLS"; a refusal puts the session in restricted mode, TLS stays up.
            AskPolicy(TlsClientQuestion("STARTTLS"), answer =>
            {
                if (answer.Verdict.Refuses)
                {
                    LogAbove(5, "ruleset=tls_client, arg1=STARTTLS, relay={0}, reject={1}", Relay, answer.Verdict.Reply);
                    _session = SessionRules.Restrict(_session, answer.Verdict.ToReply());
                }

                Pump();
            });
        }
    }
}
