namespace Gateway.Protocol.Entropy;

/// <summary>
/// What was found reading a rand file (SPEC R73): whether the safety checks passed (null) or why not, its
/// modification time, and how many bytes were read. Gathered by the Gateway, judged by <see cref="RandFileRules"/>.
/// </summary>
public sealed record RandFileFacts(string Path, string? UnsafeReason, DateTimeOffset Modified, long BytesRead);
