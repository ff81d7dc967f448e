using Gateway.Protocol.Status;

namespace Gateway.Http.Page;

/// <summary>
/// Which nodes decide with another access map than the rest: two digests mean two nodes answer the same RCPT
/// differently, the one thing on the page that must stand out. The most common digest is taken as the cluster's
/// (ties go to the ordinally first), and every node with a map whose digest is another one is an outlier.
/// </summary>
internal static class MapAgreement
{
    public static IReadOnlySet<string> Outliers(ClusterStatus status)
    {
        var maps = status.Nodes.Where(n => n.Status?.Map is not null).Select(n => (n.Address, n.Status!.Map!.Digest)).ToList();
        var common = maps
            .GroupBy(m => m.Digest, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();
        return maps.Where(m => m.Digest != common).Select(m => m.Address).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>How many different maps the nodes use (0 when none has one).</summary>
    public static int Distinct(ClusterStatus status) =>
        status.Nodes.Select(n => n.Status?.Map?.Digest).OfType<string>().Distinct(StringComparer.Ordinal).Count();
}
