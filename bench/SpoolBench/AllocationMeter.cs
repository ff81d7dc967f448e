using System.Diagnostics.Tracing;

namespace Gateway.Bench;

/// <summary>
/// Counts what the GC reports: bytes allocated on this thread (exact) and large-object-heap bytes
/// (the runtime's GCAllocationTick events, one per ~100 KB allocated, summed by heap kind).
/// </summary>
internal sealed class AllocationMeter : EventListener
{
    private const int GcAllocationTick = 10;
    private long _largeBytes;

    public long LargeBytes => Interlocked.Read(ref _largeBytes);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // Keyword 0x1 = GC; the allocation tick is a verbose event.
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != GcAllocationTick || e.Payload is null || e.PayloadNames is null)
        {
            return;
        }

        var kind = Convert.ToInt32(e.Payload[e.PayloadNames.IndexOf("AllocationKind")], System.Globalization.CultureInfo.InvariantCulture);
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        if (kind == 1)
        {
            Interlocked.Add(ref _largeBytes, amount);
        }
    }
}
