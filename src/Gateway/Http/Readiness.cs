using Akka.Actor;
using Akka.Cluster;
using Gateway.Actors.Entropy;
using Gateway.Protocol.Entropy;

namespace Gateway.Http;

/// <summary>
/// /health/ready's four checks: a node is ready for SMTP clients when its generator is seeded (else no STARTTLS,
/// SPEC R39), its listeners are bound (not yet stopping: the drain unbinds them first), it is Up in the cluster
/// (the queue's messages and the replicated map reach it), and its spool takes a write (a full or read-only disk
/// would answer every DATA with 452).
/// </summary>
internal sealed class Readiness(ActorSystem system, IActorRef entropy, string spoolDirectory)
{
    /// <summary>Under a probe's usual 1 s timeout, so a busy node answers "not ready" rather than not at all.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMilliseconds(800);

    private readonly string _probe = Path.Combine(spoolDirectory, ".ready-probe");

    public sealed record Check(string Name, bool Ok, string Detail);

    /// <summary>Live: the actor system runs. A terminated one never recovers; the pod should restart.</summary>
    public bool Live => !system.WhenTerminated.IsCompleted;

    public async Task<IReadOnlyList<Check>> CheckAsync() =>
        [await Seeded().ConfigureAwait(false), Listening(), Member(), await Spool().ConfigureAwait(false)];

    private async Task<Check> Seeded()
    {
        try
        {
            var status = await entropy.Ask<EntropyProtocol.EntropyStatus>(EntropyProtocol.GetEntropyStatus.Instance, AskTimeout).ConfigureAwait(false);
            return new Check("seeded", status.Status != SeedStatus.Failed, status.Status.ToString().ToLowerInvariant());
        }
        catch (AskTimeoutException)
        {
            return new Check("seeded", false, "the entropy actor did not answer");
        }
    }

    private Check Listening() => CoordinatedShutdown.Get(system).ShutdownReason is { } reason
        ? new Check("listening", false, $"stopping ({reason.GetType().Name})")
        : new Check("listening", true, "bound");

    private Check Member()
    {
        var status = Cluster.Get(system).SelfMember.Status;
        return new Check("member", status == MemberStatus.Up, status.ToString().ToLowerInvariant());
    }

    /// <summary>A small file written, synced and removed: what a commit needs of the directory, without touching RocksDB.</summary>
    private async Task<Check> Spool()
    {
        try
        {
            var file = new FileStream(_probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough | FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync("ready\n"u8.ToArray()).ConfigureAwait(false);
            }

            File.Delete(_probe);
            return new Check("spool", true, "writable");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Check("spool", false, e.Message);
        }
    }
}
