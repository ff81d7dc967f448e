using System.Net;
using Gateway.Protocol.Session;

namespace Gateway.Protocol.Dns;

/// <summary>
/// The forward-confirmed reverse lookup (FCrDNS) that decides <c>{client_name}</c> and <c>{client_resolve}</c>, as
/// sendmail does it at connect time: the first PTR name of the address, then its A/AAAA records, which must include
/// the address. Pure: the resolver asks DNS, this decides.
/// </summary>
public static class ReverseCheck
{
    /// <summary>RFC 1035 §2.3.4: 255 octets on the wire, so at most 253 characters as text without the final dot.</summary>
    private const int MaxName = 253;

    private const int MaxLabel = 63;

    /// <summary>
    /// The verdict. A PTR name that is not a plausible host name counts as no name at all: it would go into the
    /// Received header and the access map's keys, and a hostile zone can put anything in a PTR record (CR LF, spaces,
    /// brackets).
    /// </summary>
    public static ClientHost Judge(
        IPAddress address, DnsOutcome ptr, string? ptrName, DnsOutcome forward, IReadOnlyCollection<IPAddress> forwardAddresses)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(forwardAddresses);
        if (ptr == DnsOutcome.TempFail)
        {
            return new ClientHost(address, null, ClientResolve.Temp);
        }

        if (ptr == DnsOutcome.NotFound || Normalize(ptrName) is not { } name)
        {
            return new ClientHost(address, null, ClientResolve.Fail);
        }

        if (forward == DnsOutcome.TempFail)
        {
            return new ClientHost(address, name, ClientResolve.Temp);
        }

        var wanted = address.Unmapped();
        var confirmed = forward == DnsOutcome.Found && forwardAddresses.Any(a => a.Unmapped().Equals(wanted));
        return new ClientHost(address, name, confirmed ? ClientResolve.Ok : ClientResolve.Forged);
    }

    /// <summary>
    /// The name without its final dot, if it is a host name: labels of letters, digits, hyphens (and underscores,
    /// which real PTR zones contain), 1–63 characters each, 253 in all, and a last label that is not all digits (a
    /// PTR of "198.51.100.7" is an address posing as a name, which Postfix refuses too). Null otherwise.
    /// </summary>
    public static string? Normalize(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var text = name.EndsWith('.') ? name[..^1] : name;
        if (text.Length is 0 or > MaxName)
        {
            return null;
        }

        var labels = text.Split('.');
        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabel || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return null;
            }
        }

        return labels[^1].All(char.IsAsciiDigit) ? null : text;
    }
}
