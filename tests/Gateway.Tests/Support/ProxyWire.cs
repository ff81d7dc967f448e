using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Support;

/// <summary>PROXY protocol headers as a balancer writes them (HAProxy's proxy-protocol.txt §2.1, §2.2), built by hand.</summary>
internal static class ProxyWire
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>§2.1: "PROXY TCP4 192.0.2.7 127.0.0.1 40000 2525\r\n" (TCP6 for IPv6 addresses).</summary>
    public static byte[] V1(string source, string destination, int sourcePort = 40000, int destinationPort = 2525)
    {
        var family = IPAddress.Parse(source).AddressFamily == AddressFamily.InterNetworkV6 ? "TCP6" : "TCP4";
        return Encoding.ASCII.GetBytes($"PROXY {family} {source} {destination} {sourcePort} {destinationPort}\r\n");
    }

    /// <summary>§2.2: version 2, PROXY command, TCP over IPv4 (0x11) or IPv6 (0x21), no TLV.</summary>
    public static byte[] V2(string source, string destination, int sourcePort = 40000, int destinationPort = 2525)
    {
        var from = IPAddress.Parse(source);
        var family = from.AddressFamily == AddressFamily.InterNetworkV6 ? (byte)0x21 : (byte)0x11;
        return V2Header(0x21, family, [.. from.GetAddressBytes(), .. IPAddress.Parse(destination).GetAddressBytes(), .. Port(sourcePort), .. Port(destinationPort)]);
    }

    /// <summary>§2.2: version 2, LOCAL command, AF_UNSPEC: the balancer's own health check.</summary>
    public static byte[] V2Local() => V2Header(0x20, 0x00, []);

    private static byte[] V2Header(byte versionCommand, byte family, byte[] body) =>
        [.. Signature, versionCommand, family, (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] Port(int port) => [(byte)(port >> 8), (byte)port];
}
