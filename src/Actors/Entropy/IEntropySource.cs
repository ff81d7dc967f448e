using Gateway.Protocol.Entropy;

namespace Gateway.Actors.Entropy;

/// <summary>
/// Where seed material comes from (SPEC R71–R77): the kernel device, an EGD socket or a rand file. Implemented in
/// Gateway, which owns files and sockets; the EntropyActor only mixes what it gets. A read never blocks a thread:
/// it completes as a task the actor receives as a message.
/// </summary>
public interface IEntropySource
{
    /// <summary>For the status and the log, e.g. "egd:/var/run/egd-pool".</summary>
    string Description { get; }

    /// <summary>Reads seed material and judges it; never throws (a failure is an outcome with its log lines).</summary>
    Task<EntropyReading> ReadAsync(CancellationToken cancel);
}

/// <summary>Seed material (possibly empty) and the verdict on it, with sendmail's log lines.</summary>
public sealed record EntropyReading(byte[] Material, SeedOutcome Outcome);
