using Gateway.Actors.Policy;

namespace Gateway.Control;

/// <summary>
/// The access map a node decides with, as <c>gateway map status --json</c> prints it. <see cref="Version"/> 0: no map
/// was ever published or loaded (the built-in rules apply). <see cref="Unreachable"/> not empty: the node may be
/// behind, since a version pushed on the other side of a partition cannot reach it; it decides with this one meanwhile.
/// </summary>
internal sealed record MapView(
    long Version,
    string? Digest,
    string? Source,
    string? Origin,
    DateTimeOffset? Published,
    int Entries,
    IReadOnlyList<string> Unreachable,
    string? LastError)
{
    public static MapView Of(MapReplicaProtocol.MapStatus status) => new(
        status.Current?.Version ?? 0,
        status.Current?.Digest,
        status.Current?.Source,
        status.Current?.Origin,
        status.Current?.Published,
        status.Entries,
        status.Unreachable,
        status.LastError);

    /// <summary>One line for people: the version and where it stands.</summary>
    public string Describe()
    {
        var map = Version == 0
            ? "no access map (built-in rules: relay to local domains only)"
            : $"access map version {Version} ({Digest}) of {Source}, {Entries} entries, published by {Origin} at {Published:yyyy-MM-dd HH:mm:ss}Z";
        var partition = Unreachable.Count == 0 ? "" : $"; {Unreachable.Count} member(s) unreachable ({string.Join(", ", Unreachable)}): a newer version may exist there";
        var error = LastError is null ? "" : $"; {LastError}";
        return map + partition + error;
    }
}
