using System.Security.Cryptography;
using Gateway.Actors.Entropy;
using Gateway.Protocol.Entropy;

namespace Gateway.Entropy;

/// <summary>SPEC R71: the default. The OS CSPRNG (getrandom / /dev/urandom); RandFile plays no part.</summary>
internal sealed class KernelEntropySource : IEntropySource
{
    /// <summary>384 bits: more than the DRBG's 256-bit security needs.</summary>
    private const int SeedBytes = 48;

    public string Description => "kernel (/dev/urandom)";

    public Task<EntropyReading> ReadAsync(CancellationToken cancel) =>
        Task.FromResult(new EntropyReading(RandomNumberGenerator.GetBytes(SeedBytes), new SeedOutcome(SeedStatus.Ok, SeedBytes, [])));
}
