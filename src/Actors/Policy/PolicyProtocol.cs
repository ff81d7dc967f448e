using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;

namespace Gateway.Actors.Policy;

/// <summary>
/// Questions to the node's <see cref="PolicyActor"/> and its answers. Every question carries an id the answer
/// repeats (<see cref="PolicyVerdict"/>), so a connection can match the answer to what it asked without Ask:
/// it reads nothing more until the verdict arrives.
/// </summary>
public static class PolicyProtocol
{
    /// <summary>One of <see cref="SessionPolicy"/>'s questions; answered by the <see cref="PolicyVerdict"/> with the same id.</summary>
    public sealed record CheckPolicy(long Id, PolicyQuestion Question);

    /// <summary>The answer to the question with the same id.</summary>
    public sealed record PolicyVerdict(long Id, PolicyAnswer Answer)
    {
        public Verdict Verdict => Answer.Verdict;
    }

    /// <summary>A new map, read and parsed by whoever watches the file; swapped in whole, and the cache emptied.</summary>
    public sealed record ReplaceMap(AccessMap Map, string Source);

    /// <summary>Reading the map again failed: the last good map stays; the reason is kept for the status.</summary>
    public sealed record MapReloadFailed(string Reason);

    public sealed record GetPolicyStatus
    {
        public static readonly GetPolicyStatus Instance = new();
    }

    /// <summary>For health checks and <c>gateway status</c>.</summary>
    /// <param name="Reloads">Maps received, the one in force at start included (the node's map replica hands it over).</param>
    public sealed record PolicyStatus(string Source, int Entries, int Cached, long Hits, long Misses, long Reloads, string? LastReloadError);
}
