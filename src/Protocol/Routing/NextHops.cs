using System.Net;

namespace Gateway.Protocol.Routing;

/// <summary>Where a destination's connections go, in the order to try them, or why there is nowhere to go. The set is closed.</summary>
public abstract record NextHops
{
    private NextHops() { }

    /// <summary>Addresses in order (MX preference, then each host's addresses), each with the host name it belongs to.</summary>
    public sealed record Hosts(IReadOnlyList<(string Name, IPAddress Address)> Addresses) : NextHops;

    /// <summary>
    /// No address now or ever (null MX, NXDOMAIN, a loop back to this node): the recipients fail. <paramref name="Reply"/>
    /// starts with its RFC 3463 status ("5.1.2 …"), as the delivery report shows it.
    /// </summary>
    public sealed record Permanent(string Reply) : NextHops;

    /// <summary>DNS could not answer now: the recipients stay queued (<paramref name="Reply"/> starts with a 4.x.x status).</summary>
    public sealed record Temporary(string Reply) : NextHops;
}
