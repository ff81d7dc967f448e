using System.Diagnostics.CodeAnalysis;
using System.Net;
using Akka.Actor;
using Gateway.Protocol.Policy;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
using Gateway.Actors.Metrics;

namespace Gateway.Actors.Connection;

/// <summary>The connection's start: on a PROXY listener the header first (ConnectionActor.Proxy), then the reverse lookup (Resolving), the access map's Connect: and Srv_Features (Greeting), then the greeting, or on an implicit-TLS listener the handshake first.</summary>
public sealed partial class ConnectionActor
{
    private sealed record ClientResolved(ClientHost Host);

    private sealed record ResolveTimeout
    {
        public static readonly ResolveTimeout Instance = new();
    }

    protected override void PreStart()
    {
        _counters.SessionOpened(ListenerKind);
        if (_settings.ProxyProtocol)
        {
            ReadProxyHeader();
            return;
        }

        Identified();
    }

    protected override void PostStop()
    {
        _counters.SessionClosed(ListenerKind, encrypted: _countedEncrypted);
        base.PostStop();
    }

    /// <summary>The <c>listener</c> tag of this session's metrics.</summary>
    private string ListenerKind =>
        _settings.ProxyProtocol ? GatewayMetrics.Proxy : _settings.ImplicitTls ? GatewayMetrics.ImplicitTls : GatewayMetrics.Smtp;

    /// <summary>The client is known (the socket's peer, or the PROXY header's source): the idle timer, then the lookup or the greeting.</summary>
    private void Identified()
    {
        _now = Now.Resolving;
        PutOffIdleTimeout();
        if (_settings.Resolver is { } resolver && _address is { } address)
        {
            // Nothing is read before the greeting (pull mode), so the client waits for the lookup like it waits for sendmail's.
            Timers.StartSingleTimer(nameof(ResolveTimeout), ResolveTimeout.Instance, _settings.ResolveTimeout);
            resolver.ResolveAsync(address, CancellationToken.None).PipeTo(
                Self, success: host => new ClientResolved(host), failure: _ => new ClientResolved(new ClientHost(address, null, ClientResolve.Temp)));
            return;
        }

        Begin();
    }

    /// <summary>Phase Resolving: the lookup's answer, or its deadline; the idle timer waits meanwhile.</summary>
    private void Resolving(object message)
    {
        switch (message)
        {
            case ClientResolved r:
                Resolved(r.Host);
                break;
            case ResolveTimeout:
                Resolved(new ClientHost(_address!, null, ClientResolve.Temp));
                break;
            case IdleTimeout:
                PutOffIdleTimeout();
                break;
            default:
                Common(message);
                break;
        }
    }

    private void Resolved(ClientHost host)
    {
        Timers.Cancel(nameof(ResolveTimeout));
        _session = _session with { Host = host };
        LogAbove(13, "{0}: client_name={1}, client_resolve={2}", _session.Relay, host.Name, host.Resolve.Value());
        Begin();
    }

    /// <summary>With an access map, phase Greeting: Connect: then Srv_Features (SessionPolicy's opening check); then the greeting.</summary>
    private void Begin()
    {
        if (_settings.Policy is null)
        {
            Open();
            return;
        }

        Ask(PolicyCheck.Opening.Instance, SessionPolicy.Begin(PolicyCheck.Opening.Instance, _session, PolicyContext())!, Phase.Greeting);
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

        _now = Now.Commands;
        ReplyWriter.Write(_output, SmtpReplies.Greeting(_settings.Session.Hostname));

        // Not just a read: on a PROXY listener the header's packet may already have brought the first command.
        Pump();
    }

    /// <summary>
    /// Who the session speaks of: {client_addr}, {client_name} before the lookup, relay= in the log, the Received
    /// header. Set at the accept, and once more on a PROXY listener from the header's source, before any of them is used.
    /// </summary>
    [MemberNotNull(nameof(_remote), nameof(_session), nameof(_bracketedName), nameof(ClientAddr))]
    private void Identify(EndPoint remote)
    {
        _remote = remote;
        _session = new SessionState(ClientAddress(remote));
        _address = (remote as IPEndPoint)?.Address;
        _bracketedName = _address is null ? $"[{_session.ClientAddress}]" : SessionMacros.ClientName(_address);
        ClientAddr = _address is null ? _session.ClientAddress : SessionMacros.ClientAddr(_address);
    }

    private static string ClientAddress(EndPoint remote) => remote switch
    {
        IPEndPoint ip => ip.Address.Unmapped().ToString(),
        _ => remote.ToString() ?? "unknown",
    };
}
