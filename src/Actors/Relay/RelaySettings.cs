using Akka.Actor;
using Gateway.Protocol.Access;
using Gateway.Protocol.Tls;

namespace Gateway.Actors.Relay;

/// <summary>
/// What every outbound connection of a node shares. The timeouts are RFC 5321 §4.5.3.2's minimums; the connection
/// cache time is Postfix's smtp_connection_cache_time_limit (2 s): long enough to carry the next message of a burst,
/// short enough not to hold a remote server's slot while idle.
/// </summary>
/// <param name="Hostname">Our name in EHLO (Smtp:Hostname).</param>
/// <param name="Resolver">Where a destination's connections go.</param>
/// <param name="Tls">
/// The TLS client options for a connection to the named host (SNI, our certificate, the CAs we trust, the node's
/// generator); null when TLS is unusable on this node, and STARTTLS is then not tried ({verify}=NONE, R20).
/// </param>
public sealed record RelaySettings(string Hostname, INextHopResolver Resolver, Func<string?, TlsClientOptions>? Tls)
{
    /// <summary>RFC 5321 §4.5.3.1.8 lets a server refuse more than 100 recipients; 50 a transaction, as issue 13 asks (Postfix's default is 50 too).</summary>
    public const int MaxRecipientsPerTransaction = 50;

    /// <summary>Delivery:MaxConnectionsPerDestination (Postfix's default_destination_concurrency_limit is 20).</summary>
    public int MaxConnectionsPerDestination { get; init; } = 20;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>§4.5.3.2.1: the greeting, 5 minutes.</summary>
    public TimeSpan GreetingTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>§4.5.3.2.2–3: MAIL and RCPT (and EHLO, STARTTLS, RSET, QUIT), 5 minutes.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>§4.5.3.2.4: the reply to DATA, 2 minutes.</summary>
    public TimeSpan DataInitiationTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>§4.5.3.2.6: the reply after the end of data, 10 minutes.</summary>
    public TimeSpan DataTerminationTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>SPEC R5's 5 minutes, for our side of the handshake too.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an idle connection waits for the destination's next message.</summary>
    public TimeSpan ConnectionCacheTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a destination whose connections all failed is not tried again (Postfix's dead destination; Queue:RetrySchedule's first wait).</summary>
    public TimeSpan DeadTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The node's PolicyActor for Try_TLS, TLS_Srv and TLS_Rcpt when an access map is configured; null: no map.</summary>
    public IActorRef? Policy { get; init; }

    public TimeSpan PolicyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Access:ReplyCodes, for the built-in tls_server errors when no map is asked.</summary>
    public ReplyCodeStyle ReplyCodes { get; init; } = ReplyCodeStyle.Sendmail;

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
