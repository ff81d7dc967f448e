using Gateway.Actors.Entropy;
using Gateway.Protocol.Entropy;

namespace Gateway.Entropy;

/// <summary>The source Entropy:RandFile names (SPEC R71, R72).</summary>
internal static class EntropySources
{
    public static IEntropySource For(string? randFile, bool insufficientEntropy, TimeProvider clock) =>
        RandSource.Parse(randFile, out var error) switch
        {
            RandSource.Kernel => new KernelEntropySource(),
            RandSource.Egd egd => new EgdEntropySource(egd.SocketPath, insufficientEntropy, EgdEntropySource.DefaultTimeout),
            RandSource.File file => new RandFileEntropySource(file.Path, insufficientEntropy, clock),
            _ => new BrokenEntropySource(randFile ?? "", error!, insufficientEntropy),
        };
}
