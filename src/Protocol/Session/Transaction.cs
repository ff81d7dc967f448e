using Gateway.Protocol.Mail;

namespace Gateway.Protocol.Session;

/// <summary>
/// A mail transaction between MAIL and the end of the content (RFC 5321 §3.3).
/// <see cref="BdatFailed"/> marks a BDAT transfer refused part-way: its later chunks are read and
/// dropped until RSET or a new MAIL (RFC 3030 §3). <see cref="Discard"/>: an access-map DISCARD matched; the
/// message is answered as accepted and then dropped, as sendmail does.
/// </summary>
public sealed record Transaction(
    Mailbox? ReversePath,
    MailParameters Parameters,
    IReadOnlyList<Recipient> Recipients,
    bool BdatStarted = false,
    bool Discard = false)
{
    public Envelope ToEnvelope(string id, string heloName, string clientAddress, string protocol, DateTimeOffset receivedAt, string? clientDescription = null) =>
        new(id, ReversePath, Parameters, Recipients, heloName, clientAddress, protocol, receivedAt, clientDescription);
}
