using System.Net;

namespace Gateway.Listener;

/// <summary>Where to listen and how many connections to allow.</summary>
internal sealed record ListenerSettings(IReadOnlyList<IPEndPoint> Endpoints, int MaxConnections, int MaxConnectionsPerClient);
