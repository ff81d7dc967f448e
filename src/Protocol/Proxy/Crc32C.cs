using System.Numerics;

namespace Gateway.Protocol.Proxy;

/// <summary>
/// CRC-32C (Castagnoli), as RFC 4960 Appendix B defines it, for the PROXY v2 PP2_TYPE_CRC32C TLV (§2.2.3).
/// BitOperations.Crc32C is the BCL's raw update step (hardware CRC32 instruction where the CPU has one).
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>Continues a running (not yet inverted) CRC over more bytes; start from ~0u, invert at the end.</summary>
    public static uint Append(uint running, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            running = BitOperations.Crc32C(running, b);
        }

        return running;
    }
}
