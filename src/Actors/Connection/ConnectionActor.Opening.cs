using Akka.Actor;
using Gateway.Actors.Policy;
using Gateway.Protocol.Access;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;

namespace Gateway.Actors.Connection;

/// <summary>The connection's start: the reverse lookup, the access map's Connect: and Srv_Features, then the greeting (or the handshake first on an implicit-TLS listener).</summary>
public sealed partial class ConnectionActor
{
    protected override void PreStart()
    {
        Timers.StartSingleTimer(nameof(IdleTimeout), IdleTimeout.Instance, _settings.IdleTimeout);
        if (_settings.Resolver is { } resolver && _address is { } address)
        {
            // Nothing is read before the greeting (pull mode), so the client waits for the lookup like it waits for sendmail's.
            _resolving = true;
            Timers.StartSingleTimer(nameof(ResolveTimeout), ResolveTimeout.Instance, _settings.ResolveTimeout);
            resolver.ResolveAsync(address, CancellationToken.None).PipeTo(
                Self, success: host => new ClientResolved(host), failure: _ => new ClientResolved(new ClientHost(address, null, ClientResolve.Temp)));
            return;
        }

        Begin();
    }

    private void Resolved(ClientHost host)
    {
        _resolving = false;
        Timers.Cancel(nameof(ResolveTimeout));
        _session = _session with { Host = host };
        ClientName = host.Name;
        LogAbove(13, "{0}: client_name={1}, client_resolve={2}", Relay, host.Name, host.Resolve.Value());
        Begin();
    }

    /// <summary>The access map's Connect: and Srv_Features (when there is a map), then the greeting.</summary>
    private void Begin()
    {
        if (_settings.Policy is null)
        {
            Open();
            return;
        }

        // Connect: first (a refusal puts the session in restricted mode from the greeting on), then
        // Srv_Features (R63), which decide whether STARTTLS is offered and a certificate requested.
        AskPolicy(new PolicyProtocol.CheckConnect(NextQuestion(), ClientName, ClientAddr), connect =>
        {
            switch (connect.Verdict.Kind)
            {
                case VerdictKind.Reject:
                    _session = SessionRules.Restrict(_session, connect.Verdict.ToReply());
                    LogAbove(3, "{0}: connection refused by the access map: {1} ({2})", Relay, connect.Verdict.Reply, connect.Verdict.Reason);
                    break;
                case VerdictKind.Relay:
                    _clientMayRelay = true;
                    break;
                case VerdictKind.Discard:
                    _discardAll = true;
                    break;
            }

            AskPolicy(new PolicyProtocol.SrvFeatures(NextQuestion(), ClientName, ClientAddr), features =>
            {
                if (features.Verdict.Refuses && _session.Restricted is null)
                {
                    // R63: srv_features could not be answered: restricted mode with sendmail's reply, logged above 4.
                    LogAbove(4, "ERROR: srv_features=tempfail, relay={0}, access temporarily disabled", Relay);
                    _session = SessionRules.Restrict(_session, Verdict.Reject(450, "4.3.0", "Please try again later.").ToReply());
                }

                if (features.Features.OfferStartTls == false)
                {
                    _session = _session with { TlsHidden = true };
                }

                _requestClientCert = features.Features.RequestClientCertificate;
                Open();
            });
        });
    }

    /// <summary>The greeting, or on an implicit-TLS listener the handshake first.</summary>
    private void Open()
    {
        if (_settings.ImplicitTls && _settings.Tls is not null)
        {
            // SPEC R18: TLS first; the greeting follows the handshake, encrypted.
            BeginTls();
            _transport.ReadWhenFlushed();
            return;
        }

        ReplyWriter.Write(_output, SmtpReplies.Greeting(_settings.Session.Hostname));
        FlushThenRead();
    }
}
