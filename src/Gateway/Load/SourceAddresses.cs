using System.Net;
using System.Net.Sockets;
using Gateway.Cli;

namespace Gateway.Load;

/// <summary>
/// <c>--source-addresses</c>: addresses and ranges, comma-separated (<c>127.0.0.2-127.0.0.50,127.1.0.1</c>).
/// All of 127.0.0.0/8 is loopback on Linux, so one machine can appear as many clients to a per-client
/// connection limit or an access map.
/// </summary>
internal static class SourceAddresses
{
    /// <summary>A bound on the list: every address is checked by binding it once at start.</summary>
    public const int MaxAddresses = 65_536;

    public static IReadOnlyList<IPAddress> Parse(string text)
    {
        var addresses = new List<IPAddress>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            var first = Address(dash < 0 ? item : item[..dash]);
            var last = dash < 0 ? first : Address(item[(dash + 1)..]);
            if (first.AddressFamily != last.AddressFamily)
            {
                throw new UsageError($"--source-addresses: '{item}' mixes IPv4 and IPv6");
            }

            var (low, high) = (Number(first), Number(last));
            if (high < low)
            {
                throw new UsageError($"--source-addresses: '{item}' runs backwards");
            }

            if (high - low >= (UInt128)(MaxAddresses - addresses.Count))
            {
                throw new UsageError($"--source-addresses: more than {MaxAddresses} addresses");
            }

            // Count by offset: n++ past ffff:…:ffff would wrap to :: and the loop would never end.
            for (UInt128 offset = 0; offset <= high - low; offset++)
            {
                addresses.Add(FromNumber(low + offset, first.AddressFamily));
            }
        }

        return addresses.Count > 0 ? addresses : throw new UsageError("--source-addresses names no address");
    }

    /// <summary>The first address this machine cannot bind, with the reason, or null when all can be used.</summary>
    public static string? FirstUnusable(IReadOnlyList<IPAddress> addresses)
    {
        foreach (var address in addresses)
        {
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(address, 0));
            }
            catch (SocketException e)
            {
                return $"{address}: {e.Message}";
            }
        }

        return null;
    }

    private static IPAddress Address(string text) =>
        IPAddress.TryParse(text, out var address) && !text.Contains('%', StringComparison.Ordinal)
            ? address
            : throw new UsageError($"--source-addresses: '{text}' is not an IP address");

    private static UInt128 Number(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        UInt128 n = 0;
        foreach (var b in bytes)
        {
            n = (n << 8) | b;
        }

        return n;
    }

    private static IPAddress FromNumber(UInt128 n, AddressFamily family)
    {
        var bytes = new byte[family == AddressFamily.InterNetwork ? 4 : 16];
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(n & 0xFF);
            n >>= 8;
        }

        return new IPAddress(bytes);
    }
}
