using System.Buffers.Binary;
using Gateway.Actors.Entropy;
using Gateway.Protocol.Entropy;
using Gateway.Tls;

namespace Gateway.Entropy;

/// <summary>
/// SPEC R73: <c>file:/path</c>. The file must pass R34's checks and not be readable by group or others (like a
/// private key; no DontBlameSendmail relaxes it). All of it is read and mixed in, even when it is too old or too
/// small to count; when it counts or InsufficientEntropy is set, its stat record (times, size) is mixed in too.
/// Unlike sendmail, a rand file must be a regular file: a FIFO or a device would be read without end.
/// </summary>
internal sealed class RandFileEntropySource(string path, bool insufficientEntropy, TimeProvider clock) : IEntropySource
{
    /// <summary>A rand file is meant to be a few hundred bytes (openssl rand 256); more than this is not a rand file.</summary>
    private const int MaxBytes = 1 << 20;

    private static readonly HashSet<string> NoRelaxation = [];

    public string Description => "file:" + path;

    public async Task<EntropyReading> ReadAsync(CancellationToken cancel)
    {
        if (FileSafety.Check(path, isKey: true, NoRelaxation) is { } unsafeReason)
        {
            var facts = new RandFileFacts(path, unsafeReason, DateTimeOffset.MinValue, 0);
            return new EntropyReading([], RandFileRules.Judge(facts, clock.GetUtcNow(), insufficientEntropy));
        }

        byte[] content;
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true);
            content = new byte[Math.Min(info.Length, MaxBytes)];
            var read = 0;
            while (read < content.Length)
            {
                var n = await stream.ReadAsync(content.AsMemory(read), cancel).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            content = content[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var facts = new RandFileFacts(path, e.Message, DateTimeOffset.MinValue, 0);
            return new EntropyReading([], RandFileRules.Judge(facts, clock.GetUtcNow(), insufficientEntropy));
        }

        var outcome = RandFileRules.Judge(new RandFileFacts(path, null, info.LastWriteTimeUtc, content.Length), clock.GetUtcNow(), insufficientEntropy);
        // R73: all of the file is fed to the generator even when it does not count as seeding (too old, too
        // small); the stat record only when it does, or with InsufficientEntropy (the outcome is then Weak).
        return new EntropyReading(outcome.Status == SeedStatus.Failed ? content : [.. content, .. StatRecord(info)], outcome);
    }

    /// <summary>The metadata sendmail mixes in (its stat record): not secret, but it differs between hosts and runs.</summary>
    private static byte[] StatRecord(FileInfo info)
    {
        var record = new byte[32];
        BinaryPrimitives.WriteInt64LittleEndian(record, info.LastWriteTimeUtc.Ticks);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), info.LastAccessTimeUtc.Ticks);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(16), info.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(24), info.CreationTimeUtc.Ticks);
        return record;
    }
}
