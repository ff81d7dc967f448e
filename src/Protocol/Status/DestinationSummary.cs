namespace Gateway.Protocol.Status;

/// <summary>
/// A destination domain in the queue: how many messages and pending recipients wait for it, since when, and the last
/// reply or error about one of them ("451 4.4.1 connection refused by mx.example.net"), as <c>gateway queue list</c> shows it.
/// </summary>
public sealed record DestinationSummary(string Domain, int Messages, int Recipients, DateTimeOffset? Oldest, string? LastError);
