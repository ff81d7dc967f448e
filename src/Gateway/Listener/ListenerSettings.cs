using System.Net;

namespace Gateway.Listener;

/// <summary>Where to listen (plain SMTP with STARTTLS, and TLS-on-connect, SPEC R18) and how many connections to allow.</summary>
internal sealed record ListenerSettings(
    IReadOnlyList<IPEndPoint> Endpoints,
    int MaxConnections,
    int MaxConnectionsPerClient,
    IReadOnlyList<IPEndPoint>? ImplicitTlsEndpoints = null);
