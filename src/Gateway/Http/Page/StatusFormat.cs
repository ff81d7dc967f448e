using System.Globalization;
using Gateway.Protocol.Status;

namespace Gateway.Http.Page;

/// <summary>
/// How the page writes figures. status.js has the same functions (fmtAge, fmtRate, …) and must give the same text:
/// the script re-renders what the server rendered, and a cell must not change form when it refreshes.
/// </summary>
internal static class StatusFormat
{
    /// <summary>Shown where a node has no figure (no record yet, nothing open, nothing queued).</summary>
    public const string None = "—";

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One decimal: a rate over a few seconds' interval is not more precise than that.</summary>
    public static string Rate(double perSecond) => perSecond.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>The encrypted share of open sessions in whole percent, or <see cref="None"/> with none open.</summary>
    public static string Share(int tls, int open) =>
        open == 0 ? None : Count((long)Math.Round(100.0 * tls / open, MidpointRounding.AwayFromZero)) + "%";

    /// <summary>UTC to the second, the same on every node's page whatever the browser's zone.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : None;

    /// <summary>A duration in its two largest units ("3m 12s", "2d 4h"); negative (clocks apart) reads as 0s.</summary>
    public static string Age(TimeSpan age)
    {
        var s = Math.Max(0, (long)Math.Floor(age.TotalSeconds));
        return s switch
        {
            < 60 => $"{s}s",
            < 3600 => $"{s / 60}m {s % 60}s",
            < 86400 => $"{s / 3600}h {s / 60 % 60}m",
            _ => $"{s / 86400}d {s / 3600 % 24}h",
        };
    }

    public static string Age(DateTimeOffset? since, DateTimeOffset now) => since is { } t ? Age(now - t) : None;

    /// <summary>The first 12 hex digits: enough to tell two maps apart at a glance; the full digest is in the title.</summary>
    public static string ShortDigest(string digest) => digest.Length > 12 ? digest[..12] : digest;

    /// <summary>
    /// A node as the tables after the cluster table name it: its host name and, because several nodes often share
    /// one (containers, one machine), its address's host and port ("mx1 (10.0.0.5:4053)").
    /// </summary>
    public static string Node(string? host, string address)
    {
        var at = address.LastIndexOf('@');
        var endpoint = at < 0 ? address : address[(at + 1)..];
        return host is null ? endpoint : $"{host} ({endpoint})";
    }

    /// <summary>What the cluster table and the state table show of a node's map.</summary>
    public static string Map(MapSummary? map) => map is null ? "none" : $"v{Count(map.Version)} {ShortDigest(map.Digest)}";
}
