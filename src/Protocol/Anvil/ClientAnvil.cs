using System.Net;
using Gateway.Protocol.Session;

namespace Gateway.Protocol.Anvil;

/// <summary>
/// Per-client connection counts and rates for one node's listener, with what the other nodes last reported added in,
/// like Postfix's anvil server but for a cluster. The node's own counts are exact and change at once; the others'
/// arrive a few hundred milliseconds late (<see cref="ReplaceOthers"/>), which is how far a burst spread over several
/// nodes can overshoot a limit. Single owner (the listener actor); the clock is the caller's.
/// </summary>
public sealed class ClientAnvil
{
    private readonly int _maxConnections;
    private readonly int _maxRate;
    private readonly Func<IPAddress, bool> _exempt;
    private readonly int _ipv6Prefix;
    private readonly Dictionary<IPAddress, int> _connections = [];
    private readonly Dictionary<IPAddress, RateWindow> _rates = [];
    private IReadOnlyDictionary<IPAddress, ClientCount> _others = new Dictionary<IPAddress, ClientCount>();

    /// <param name="maxConnections">Smtp:MaxConnectionsPerClient.</param>
    /// <param name="maxRate">Smtp:MaxConnectionRatePerClient, per minute; 0: no rate limit.</param>
    /// <param name="exempt">Smtp:ClientLimitExceptions: true for a client never counted nor refused.</param>
    /// <param name="ipv6Prefix">
    /// Smtp:ClientIpv6PrefixLength: an IPv6 client is counted by its first this many bits (Postfix's
    /// smtpd_client_ipv6_prefix_length, 84), since one host may use any address of its network.
    /// </param>
    public ClientAnvil(int maxConnections, int maxRate, Func<IPAddress, bool> exempt, int ipv6Prefix = 128)
    {
        _ipv6Prefix = ipv6Prefix;
        _maxConnections = maxConnections;
        _maxRate = maxRate;
        _exempt = exempt;
    }

    /// <summary>True when the local counts changed since the last <see cref="Snapshot"/>.</summary>
    public bool Changed { get; private set; }

    public int MaxConnections => _maxConnections;

    public int MaxRate => _maxRate;

    /// <summary>Counts the connection when it may go on; counts nothing when it is refused.</summary>
    public AnvilVerdict Admit(IPAddress client, TimeSpan now)
    {
        if (_exempt(client.Unmapped()))
        {
            return AnvilVerdict.Exempt;
        }

        client = Canonical(client);

        var others = _others.GetValueOrDefault(client);
        var open = _connections.GetValueOrDefault(client);
        if (open + others.Connections >= _maxConnections)
        {
            return AnvilVerdict.TooManyConnections;
        }

        var rate = _rates.TryGetValue(client, out var window) ? window : null;
        if (_maxRate > 0 && (rate?.Count(now) ?? 0) + others.Rate >= _maxRate)
        {
            return AnvilVerdict.TooManyConnectionsPerMinute;
        }

        _connections[client] = open + 1;
        if (rate is null)
        {
            _rates[client] = rate = new RateWindow();
        }

        rate.Add(now);
        Changed = true;
        return AnvilVerdict.Admitted;
    }

    /// <summary>A session admitted (not exempt) has ended, or answered QUIT: it stops counting at once.</summary>
    public void Release(IPAddress client)
    {
        client = Canonical(client);
        if (!_connections.TryGetValue(client, out var open))
        {
            return;
        }

        if (open <= 1)
        {
            _connections.Remove(client);
        }
        else
        {
            _connections[client] = open - 1;
        }

        Changed = true;
    }

    /// <summary>
    /// This node's non-zero counts, to publish to the others; forgets clients with nothing left in their window, so
    /// the tables stay as large as the clients of the last minute.
    /// </summary>
    public IReadOnlyDictionary<IPAddress, ClientCount> Snapshot(TimeSpan now)
    {
        Changed = false;
        var snapshot = new Dictionary<IPAddress, ClientCount>();
        foreach (var (client, window) in _rates)
        {
            var count = new ClientCount(_connections.GetValueOrDefault(client), window.Count(now));
            if (count.IsZero)
            {
                _rates.Remove(client);
            }
            else
            {
                snapshot[client] = count;
            }
        }

        return snapshot;
    }

    /// <summary>This node's own count for <paramref name="client"/>.</summary>
    public ClientCount Here(IPAddress client, TimeSpan now)
    {
        client = Canonical(client);
        return new ClientCount(_connections.GetValueOrDefault(client), _rates.TryGetValue(client, out var window) ? window.Count(now) : 0);
    }

    /// <summary>What the other nodes last reported for <paramref name="client"/>.</summary>
    public ClientCount Others(IPAddress client) => _others.GetValueOrDefault(Canonical(client));

    /// <summary>The sum of what every other node last reported, per client.</summary>
    public void ReplaceOthers(IReadOnlyDictionary<IPAddress, ClientCount> others) => _others = others;

    /// <summary>
    /// An IPv4-mapped address (a dual-stack socket's view) is its IPv4 client, so both count as one; an IPv6 client is
    /// its network of the configured prefix. Exemptions are judged on the address itself, before this.
    /// </summary>
    private IPAddress Canonical(IPAddress address)
    {
        address = address.Unmapped();
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && _ipv6Prefix < 128
            ? Masked(address, _ipv6Prefix)
            : address;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < 128; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}
