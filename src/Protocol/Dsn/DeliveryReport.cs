using Gateway.Protocol.Mail;

namespace Gateway.Protocol.Dsn;

/// <summary>
/// What a delivery status notification tells the sender of <paramref name="Envelope"/>: the outcomes to report (those
/// <see cref="DsnNotice.Wanted"/> lets through), who reports (<paramref name="ReportingMta"/>, this node's host name),
/// when, under which Message-ID, and the original message as it was spooled.
/// </summary>
public sealed record DeliveryReport(
    Envelope Envelope,
    string ReportingMta,
    IReadOnlyList<RecipientOutcome> Outcomes,
    DateTimeOffset Now,
    string MessageId,
    ReadOnlyMemory<byte> Original);
