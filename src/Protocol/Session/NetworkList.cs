using System.Net;

namespace Gateway.Protocol.Session;

/// <summary>
/// A configured list of addresses and CIDR prefixes, IPv4 or IPv6: the peers allowed to send a PROXY header
/// (Smtp:ProxyTrustedAddresses), the clients exempt from the per-client limit. An IPv4-mapped IPv6 address, on either
/// side, means its IPv4 address, as a dual-stack listener reports it.
/// </summary>
public sealed class NetworkList
{
    /// <summary>The IPv4-mapped block ::ffff:0:0/96 (RFC 4291 §2.5.5.2): an IPv6 prefix inside it is an IPv4 prefix.</summary>
    private const int MappedPrefixLength = 96;

    private readonly IReadOnlyList<IPNetwork> _networks;

    private NetworkList(IReadOnlyList<IPNetwork> networks) => _networks = networks;

    /// <summary>The empty list: it contains no address.</summary>
    public static NetworkList Empty { get; } = new([]);

    /// <summary>The configured entries, in order, as networks (a bare address is a /32 or /128).</summary>
    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>
    /// Reads entries such as "10.0.0.5", "10.0.0.0/8", "2001:db8::/32", "::ffff:192.0.2.0/120". A prefix with
    /// host bits set ("10.0.0.1/8") is refused: it is more likely a typo than a wish to name the whole network.
    /// </summary>
    /// <param name="error">Names the first bad entry, for the configuration error message.</param>
    public static bool TryParse(IEnumerable<string> entries, out NetworkList list, out string? error)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (Network(entry.Trim()) is not { } network)
            {
                (list, error) = (Empty, $"\"{entry}\" is neither an IP address nor an address/prefix-length with no host bits set");
                return false;
            }

            networks.Add(network);
        }

        (list, error) = (new NetworkList(networks), null);
        return true;
    }

    /// <summary>Whether <paramref name="address"/> is inside one of the listed networks.</summary>
    public bool Contains(IPAddress address)
    {
        var unmapped = address.Unmapped();
        foreach (var network in _networks)
        {
            if (network.Contains(unmapped))
            {
                return true;
            }
        }

        return false;
    }

    private static IPNetwork? Network(string entry)
    {
        var slash = entry.IndexOf('/');
        var text = slash < 0 ? entry : entry[..slash];
        if (!IPAddress.TryParse(text, out var address) || !Canonical(text, address))
        {
            return null;
        }

        var network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
        if (slash >= 0 && (!IPNetwork.TryParse(entry, out network) || !network.BaseAddress.Equals(address)))
        {
            // The second test refuses host bits under the prefix ("10.0.0.1/8"), which IPNetwork masks off silently.
            return null;
        }

        return network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= MappedPrefixLength
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - MappedPrefixLength)
            : network;
    }

    /// <summary>
    /// IPAddress.TryParse also takes "10.1", "0x0a.0.0.1", "010.0.0.1" (octal), "[::1]" and "fe80::1%eth0";
    /// in an address list those are typos or ambiguities, so only the forms that print back the same are taken.
    /// </summary>
    private static bool Canonical(string text, IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? address.ToString() == text
            : !text.Contains('%') && !text.Contains('[') && address.ScopeId == 0;
}
