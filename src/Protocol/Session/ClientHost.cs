using System.Net;

namespace Gateway.Protocol.Session;

/// <summary>
/// Who the client is, as far as its address and DNS say: the address, the PTR name if one was found, and how
/// far it is to be believed (<see cref="Resolve"/>). Fixed for the connection; survives STARTTLS (SPEC R8).
/// </summary>
public sealed record ClientHost(IPAddress Address, string? PtrName, ClientResolve Resolve)
{
    public static ClientHost NotLookedUp(IPAddress address) => new(address, null, ClientResolve.None);

    /// <summary><c>{client_addr}</c>: 192.0.2.7 or IPv6:2001:db8::7 (R40).</summary>
    public string Addr => SessionMacros.ClientAddr(Address);

    /// <summary>
    /// <c>{client_name}</c> (SPEC R40): the PTR name only when its forward lookup confirms it, else the address in
    /// brackets. Safer than sendmail, which keeps a FORGED name here: the access map's host keys (Connect:,
    /// TLS_Clt:, Srv_Features:) must not match a name the client's own DNS made up.
    /// </summary>
    public string Name => Resolve == ClientResolve.Ok && PtrName is not null ? PtrName : $"[{Addr}]";

    /// <summary>
    /// The Received header's host description (SPEC R68): <c>name [addr]</c>, <c>name [addr] (may be forged)</c>, or
    /// <c>[addr]</c> without a usable name. The address is written as the header has always written it (no IPv6: tag).
    /// </summary>
    public string Description
    {
        get
        {
            var address = Address.Unmapped().ToString();
            return Resolve switch
            {
                ClientResolve.Ok when PtrName is not null => $"{PtrName} [{address}]",
                ClientResolve.Forged when PtrName is not null => $"{PtrName} [{address}] (may be forged)",
                _ => $"[{address}]",
            };
        }
    }
}
