using System.Net;
using System.Net.Sockets;
using Gateway.Protocol.Tls;

namespace Gateway.Protocol.Session;

/// <summary>
/// The sendmail macros of an inbound session (SPEC R40) in one place: the TLS facts plus the
/// transport facts {client_name} and {client_addr}, which survive STARTTLS (R8). This is what the
/// access-map policy matches against.
/// </summary>
public static class SessionMacros
{
    /// <summary>R40: "192.0.2.7", or "IPv6:2001:db8::7".</summary>
    public static string ClientAddr(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6
            ? "IPv6:" + address
            : address.Unmapped().ToString();

    /// <summary>R40: the verified PTR name, else the bracketed address (see <see cref="ClientHost.Name"/>).</summary>
    public static string ClientName(IPAddress address, string? verifiedName = null) =>
        verifiedName ?? $"[{ClientAddr(address)}]";

    /// <summary>Every macro of the session, TLS ones first, in R40's order, then the client's with {client_resolve}.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> All(TlsFacts tls, ClientHost client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return
        [
            .. tls.Macros(),
            new("{client_name}", client.Name),
            new("{client_addr}", client.Addr),
            new("{client_resolve}", client.Resolve.Value()),
        ];
    }
}
