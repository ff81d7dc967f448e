using System.Net;
using Gateway.Protocol.Session;

namespace Gateway.Actors.Connection;

/// <summary>
/// The client's reverse lookup (PTR, then forward confirmation), implemented in Gateway where DNS lives. Asked once
/// per connection before the greeting; the answer comes back to the connection as a message, so no thread waits.
/// </summary>
public interface IClientResolver
{
    /// <summary>Never throws: a resolver that cannot answer gives <see cref="ClientResolve.Temp"/>.</summary>
    Task<ClientHost> ResolveAsync(IPAddress address, CancellationToken cancel);
}
