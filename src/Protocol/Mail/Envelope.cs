namespace Gateway.Protocol.Mail;

/// <summary>
/// What the SMTP transaction carried besides the content, as stored in the spool.
/// <see cref="ReversePath"/> is null for the null sender &lt;&gt;. <see cref="ClientDescription"/> is the Received
/// header's host description (<c>name [addr]</c>, SPEC R68); null means <c>[addr]</c> (no reverse lookup, and every
/// envelope spooled before there was one).
/// </summary>
public sealed record Envelope(
    string Id,
    Mailbox? ReversePath,
    MailParameters Parameters,
    IReadOnlyList<Recipient> Recipients,
    string HeloName,
    string ClientAddress,
    string Protocol,
    DateTimeOffset ReceivedAt,
    string? ClientDescription = null);
