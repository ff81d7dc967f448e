using Gateway.Actors.Entropy;
using Gateway.Protocol.Entropy;

namespace Gateway.Entropy;

/// <summary>
/// SPEC R72: an Entropy:RandFile value without a known prefix, or empty. Not a start-up error: seeding fails with
/// sendmail's message, and STARTTLS is off unless InsufficientEntropy (R75).
/// </summary>
internal sealed class BrokenEntropySource(string value, string error, bool insufficientEntropy) : IEntropySource
{
    public string Description => $"Entropy:RandFile '{value}'";

    public Task<EntropyReading> ReadAsync(CancellationToken cancel) =>
        Task.FromResult(new EntropyReading([], SeedOutcome.From(false, 0, [error], insufficientEntropy)));
}
