using Akka.Actor;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;

namespace Gateway.Actors.Connection;

/// <summary>What every connection of a listener shares: the session rules' settings, TLS and the timers.</summary>
/// <param name="Tls">The node's TLS server options; null when TLS is unusable (STARTTLS is then not offered, SPEC R39).</param>
/// <param name="HandshakeTimeout">SPEC R5: from the 220 (or the accept, R18) to the end of the handshake.</param>
/// <param name="ImplicitTls">SPEC R18: this listener starts TLS at once, before the greeting.</param>
/// <param name="LogLevel">sendmail's LogLevel (SPEC R80): an event is logged when LogLevel is greater than its threshold.</param>
public sealed record ConnectionSettings(
    SessionSettings Session,
    TimeSpan IdleTimeout,
    string Product,
    TlsServerOptions? Tls = null,
    TimeSpan HandshakeTimeout = default,
    bool ImplicitTls = false,
    int LogLevel = 9)
{
    /// <summary>The node's PolicyActor when an access map is configured (Access:MapFile); null: local domains only.</summary>
    public IActorRef? Policy { get; init; }

    /// <summary>How long to wait for the PolicyActor before treating the map as temporarily unavailable (R50, R63).</summary>
    public TimeSpan PolicyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The reverse lookup of each client before the greeting (Dns:ReverseLookup); null: none, {client_name} is the bracketed address.</summary>
    public IClientResolver? Resolver { get; init; }

    /// <summary>How long the greeting waits for the reverse lookup; after it the client is TEMP (sendmail's {client_resolve}).</summary>
    public TimeSpan ResolveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The clock the connection reads (the policy question's age, the Received header's date); tests give a fake one.
    /// Timers run on the actor system's scheduler, which tests replace with Akka's TestScheduler.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// A listener of Smtp:ProxyProtocolListen: the connection comes from a trusted balancer (the listener checked),
    /// which sends a PROXY v1 or v2 header first; the header's source is the client the whole session speaks of.
    /// </summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>
    /// Postfix's smtpd_per_record_deadline, on for sessions begun under stress: the idle timer is put off by a whole
    /// record (a command line, a line of content, a text line's worth of BDAT bytes), not by every read, so a client
    /// that dribbles a byte at a time (slowloris) cannot hold its slot past the idle timeout.
    /// </summary>
    public bool PerRecordDeadline { get; init; }

    /// <summary>Smtp:ProxyTimeout: from the accept to the end of the PROXY header; after it the connection is closed without a reply.</summary>
    public TimeSpan ProxyTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
