using System.Net;

namespace Gateway.Protocol.Session;

public static class AddressForms
{
    /// <summary>
    /// A dual-stack listener reports an IPv4 client as ::ffff:a.b.c.d; everything else (macros, map keys, DNS,
    /// headers, logs) means the IPv4 address.
    /// </summary>
    public static IPAddress Unmapped(this IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
