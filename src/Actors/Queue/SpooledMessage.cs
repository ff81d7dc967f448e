using Gateway.Protocol.Mail;

namespace Gateway.Actors.Queue;

/// <summary>A committed message read back from the spool: its envelope and its content (Received included).</summary>
public sealed record SpooledMessage(Envelope Envelope, ReadOnlyMemory<byte> Content);
