namespace Gateway.Protocol.Mail;

/// <summary>
/// What the SMTP transaction carried besides the content, as stored in the spool.
/// <see cref="ReversePath"/> is null for the null sender &lt;&gt;.
/// </summary>
public sealed record Envelope(
    string Id,
    Mailbox? ReversePath,
    MailParameters Parameters,
    IReadOnlyList<Recipient> Recipients,
    string HeloName,
    string ClientAddress,
    string Protocol,
    DateTimeOffset ReceivedAt);
