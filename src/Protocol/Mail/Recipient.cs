namespace Gateway.Protocol.Mail;

/// <summary>One accepted forward path with its DSN parameters.</summary>
public sealed record Recipient(Mailbox Address, RcptParameters Parameters);
