using Gateway.Protocol.Dns;

namespace Gateway.Protocol.Routing;

/// <summary>The order in which a domain's MX hosts are tried (RFC 5321 §5.1, RFC 7505).</summary>
public static class MxOrder
{
    /// <summary>The plan from a lookup's outcome: NXDOMAIN is permanent, a DNS failure temporary, an answer is <see cref="Order"/>ed.</summary>
    public static MxPlan From(DnsOutcome outcome, string domain, IReadOnlyList<MxRecord> records, Func<string, bool> isSelf, Random random) => outcome switch
    {
        DnsOutcome.NotFound => MxPlan.NoSuchDomain.Instance,
        DnsOutcome.TempFail => MxPlan.Unavailable.Instance,
        _ => Order(domain, records, isSelf, random),
    };

    /// <summary>
    /// Orders <paramref name="records"/> for <paramref name="domain"/>:
    /// no records: the domain itself (its A/AAAA records, the "implicit MX");
    /// a lone "." record: <see cref="MxPlan.NullMx"/> (a "." among others is ignored, as RFC 7505 §3 forbids it);
    /// a record naming this node (<paramref name="isSelf"/>): only hosts more preferred than it are kept, and none left is
    /// <see cref="MxPlan.LoopsBack"/>;
    /// otherwise by preference, hosts of equal preference shuffled (§5.1 asks for it, to spread the load), each host once.
    /// </summary>
    public static MxPlan Order(string domain, IReadOnlyList<MxRecord> records, Func<string, bool> isSelf, Random random)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(isSelf);
        ArgumentNullException.ThrowIfNull(random);
        if (records.Count == 0)
        {
            return new MxPlan.Hosts([domain.TrimEnd('.').ToLowerInvariant()]);
        }

        if (records is [{ Exchange: "." or "" }])
        {
            return MxPlan.NullMx.Instance;
        }

        var usable = records
            .Where(r => r.Exchange.TrimEnd('.').Length > 0)
            .Select(r => r with { Exchange = r.Exchange.TrimEnd('.').ToLowerInvariant() })
            .ToList();
        var self = usable.Where(r => isSelf(r.Exchange)).OrderBy(r => r.Preference).FirstOrDefault();
        if (self.Exchange is not null)
        {
            usable = [.. usable.Where(r => r.Preference < self.Preference)];
            if (usable.Count == 0)
            {
                return new MxPlan.LoopsBack(self.Exchange);
            }
        }

        var ordered = usable
            .GroupBy(r => r.Preference)
            .OrderBy(g => g.Key)
            .SelectMany(g => Shuffled(g.Select(r => r.Exchange).ToArray(), random))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new MxPlan.Hosts(ordered);
    }

    private static string[] Shuffled(string[] hosts, Random random)
    {
        random.Shuffle(hosts);
        return hosts;
    }
}
