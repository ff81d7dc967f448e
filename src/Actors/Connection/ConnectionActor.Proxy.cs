using System.Net;
using Akka.Actor;
using Akka.Event;
using Gateway.Protocol.Proxy;
using Gateway.Protocol.Replies;

namespace Gateway.Actors.Connection;

/// <summary>
/// A PROXY listener's start (phases ReadingProxyHeader and Admission): the balancer's header, read alone, names the
/// client; the parent counts that client, not the balancer, against its limit; then the usual opening.
/// Trust: the listener let only a peer of Smtp:ProxyTrustedAddresses reach this; the header itself is still checked.
/// </summary>
public sealed partial class ConnectionActor
{
    /// <summary>To the parent, once, on a PROXY listener: the header named this client (or, LOCAL, the socket's peer); answered <see cref="ClientAdmitted"/> or <see cref="ClientRefused"/>.</summary>
    /// <param name="Local">A LOCAL (v2) or UNKNOWN (v1) header: the balancer's own health check, never counted against a client limit.</param>
    public sealed record ClientIdentified(IPEndPoint Client, bool Local = false);

    /// <summary>The client is within its limit and counted: the session goes on to the lookup and the greeting.</summary>
    public sealed record ClientAdmitted
    {
        public static readonly ClientAdmitted Instance = new();
    }

    /// <summary>The client is not served (over its limit, the node draining): the session answers <paramref name="Reply"/> and closes.</summary>
    public sealed record ClientRefused(Reply Reply);

    private sealed record ProxyTimeout
    {
        public static readonly ProxyTimeout Instance = new();
    }

    /// <summary>
    /// The first read was asked by the listener, right after it registered this session with the socket: from one
    /// sender, so in order (a second first read from here could start a read nobody waits for, whose bytes would
    /// arrive in Admission). Later reads are this session's, after the first bytes came.
    /// </summary>
    private void ReadProxyHeader() =>
        Timers.StartSingleTimer(nameof(ProxyTimeout), ProxyTimeout.Instance, _settings.ProxyTimeout);

    /// <summary>Phase ReadingProxyHeader: chunks until the header is whole; the bytes after it stay in the input for SMTP.</summary>
    private void ReadingProxyHeader(object message)
    {
        switch (message)
        {
            case Transport.Received r:
                _input.Append(r.Data);
                ParseProxyHeader();
                break;
            case ProxyTimeout:
                RefuseProxyHeader($"no complete header within {_settings.ProxyTimeout.TotalSeconds:0.###} s (Smtp:ProxyTimeout)");
                break;
            default:
                Common(message);
                break;
        }
    }

    private void ParseProxyHeader()
    {
        switch (ProxyHeaderParser.Parse(_input.Unconsumed))
        {
            case ProxyParseResult.NeedMore:
                _transport.ReadWhenFlushed();
                break;
            case ProxyParseResult.Refused refused:
                RefuseProxyHeader(refused.Reason);
                break;
            case ProxyParseResult.Done done:
                Timers.Cancel(nameof(ProxyTimeout));
                _input.Consume(done.Consumed);
                Relayed(done.Header);
                break;
        }
    }

    /// <summary>The header's source becomes the client everywhere; LOCAL (a health check) keeps the socket's peer (§2.1, §2.2).</summary>
    private void Relayed(ProxyHeader header)
    {
        var balancer = _session.Relay;
        if (header is ProxyHeader.Proxied proxied)
        {
            Identify(proxied.Source);
            LogAbove(9, "{0}: PROXY v{1} from {2}: client {3}, to {4}", _session.Relay, proxied.Version, balancer, proxied.Source, proxied.Destination);
        }
        else
        {
            LogAbove(9, "{0}: PROXY v{1} LOCAL: the balancer speaks for itself", balancer, header.Version);
        }

        _now = Now.Admission;
        Context.Parent.Tell(new ClientIdentified(_remote as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0), header is ProxyHeader.Local));
    }

    /// <summary>Phase Admission: the parent's answer; nothing is read meanwhile (pull mode).</summary>
    private void Admission(object message)
    {
        switch (message)
        {
            case ClientAdmitted:
                Identified();
                break;
            case ClientRefused refused:
                ReplyWriter.Write(_output, refused.Reply);
                Close();
                break;
            default:
                Common(message);
                break;
        }
    }

    /// <summary>§2.1 and §2.2: a bad or missing header aborts the connection; the peer is a balancer, not an SMTP client, so there is no reply.</summary>
    private void RefuseProxyHeader(string reason)
    {
        _log.Warning("{0}: PROXY header refused, closing: {1}", _session.Relay, reason);
        CloseWithoutReply();
    }
}
