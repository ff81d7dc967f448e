using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;

namespace Gateway.Actors.Queue;

/// <summary>
/// A committed message read back from the spool: its envelope and its content (Received included), and its queue
/// entry (<see cref="State"/>) once an attempt has ended; null before, which means every recipient is pending.
/// </summary>
public sealed record SpooledMessage(Envelope Envelope, ReadOnlyMemory<byte> Content)
{
    public QueueEntry? State { get; init; }
}
