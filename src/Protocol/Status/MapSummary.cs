namespace Gateway.Protocol.Status;

/// <summary>The access-map version a node decides with (see <c>gateway map status</c>): two nodes with different digests decide differently.</summary>
public sealed record MapSummary(long Version, string Digest, int Entries, string Source, DateTimeOffset Published);
