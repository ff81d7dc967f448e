using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Gateway.Bench;
using RocksDbSharp;

// spool-bench [--iterations 200]
// Issue 12 item 4: what encoding one spooled message costs the managed heap, for a 100 KB and a
// 10 MB message held as MessageContent holds it (segments growing from 4 KiB to 64 KiB).
//   joined  - the old SpoolCodec: one array of header + every segment, then WriteBatch.Put
//   pooled  - header + segments copied into an ArrayPool buffer, WriteBatch.Put(span), returned
//   vector  - WriteBatch.PutVector: RocksDB concatenates header + segments (SliceParts), no managed copy
//   read    - RocksDb.Get(key): the value as one array (what ReadAsync does)
// Each line: managed bytes allocated per message (exact, this thread), LOH bytes per message (GC
// allocation ticks), gen-2 collections over the run, and microseconds per message.
var iterations = args.Length > 1 && args[0] == "--iterations" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var directory = Directory.CreateTempSubdirectory("spool-bench-").FullName;
using var meter = new AllocationMeter();
try
{
    using var db = RocksDb.Open(new DbOptions().SetCreateIfMissing(true).SetCompression(Compression.No), directory);
    var unsynced = new WriteOptions().SetSync(false);
    var key = "m/0000000000000000"u8.ToArray();
    var header = new byte[300];
    foreach (var size in new[] { 100 * 1024, 10 * 1024 * 1024 })
    {
        var segments = Segments(size);
        Measure($"joined {Label(size)}", () => Write(db, unsynced, batch => batch.Put(key, Joined(header, segments))));
        Measure($"pooled {Label(size)}", () => Write(db, unsynced, batch => Pooled(batch, key, header, segments)));
        Measure($"vector {Label(size)}", () => Write(db, unsynced, batch => batch.PutVector(key, [header, .. segments])));
        Measure($"read   {Label(size)}", () => GC.KeepAlive(db.Get(key)));
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
}

return 0;

void Measure(string label, Action once)
{
    for (var i = 0; i < 5; i++)
    {
        once();
    }

    GC.Collect();
    GC.WaitForPendingFinalizers();
    var gen2 = GC.CollectionCount(2);
    var large = meter.LargeBytes;
    var bytes = GC.GetAllocatedBytesForCurrentThread();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < iterations; i++)
    {
        once();
    }

    clock.Stop();
    var perMessage = (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)iterations;
    var largePerMessage = (meter.LargeBytes - large) / (double)iterations;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{label,-14} {perMessage,14:N0} B/msg  LOH {largePerMessage,14:N0} B/msg  gen2 {GC.CollectionCount(2) - gen2,4}  {clock.Elapsed.TotalMicroseconds / iterations,10:N1} us/msg"));
}

static void Write(RocksDb db, WriteOptions options, Action<WriteBatch> fill)
{
    using var batch = new WriteBatch();
    fill(batch);
    db.Write(batch, options);
}

static byte[] Joined(byte[] header, ReadOnlyMemory<byte>[] segments)
{
    var value = new byte[header.Length + segments.Sum(s => s.Length)];
    header.CopyTo(value, 0);
    var at = header.Length;
    foreach (var segment in segments)
    {
        segment.Span.CopyTo(value.AsSpan(at));
        at += segment.Length;
    }

    return value;
}

static void Pooled(WriteBatch batch, byte[] key, byte[] header, ReadOnlyMemory<byte>[] segments)
{
    var length = header.Length + segments.Sum(s => s.Length);
    var buffer = ArrayPool<byte>.Shared.Rent(length);
    header.CopyTo(buffer, 0);
    var at = header.Length;
    foreach (var segment in segments)
    {
        segment.Span.CopyTo(buffer.AsSpan(at));
        at += segment.Length;
    }

    batch.Put(key, buffer.AsSpan(0, length));
    ArrayPool<byte>.Shared.Return(buffer);
}

// As MessageContent grows: 4 KiB, 8, 16, 32, then 64 KiB segments.
static ReadOnlyMemory<byte>[] Segments(int size)
{
    var result = new List<ReadOnlyMemory<byte>>();
    var next = 4096;
    for (var left = size; left > 0; left -= next, next = Math.Min(next * 2, 65536))
    {
        var segment = new byte[Math.Min(next, left)];
        Random.Shared.NextBytes(segment);
        result.Add(segment);
    }

    return [.. result];
}

static string Label(int size) => size >= 1024 * 1024 ? $"{size / 1024 / 1024} MB" : $"{size / 1024} KB";
