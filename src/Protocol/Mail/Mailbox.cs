namespace Gateway.Protocol.Mail;

/// <summary>
/// An RFC 5321 Mailbox: local part as written (quotes kept) and domain (a name, or an address
/// literal with its brackets). The domain is empty only for the bare "Postmaster" of RFC 5321 §4.1.1.3.
/// </summary>
public sealed record Mailbox(string LocalPart, string Domain)
{
    /// <summary>True when either part holds non-ASCII text, which RFC 6531 allows only with SMTPUTF8.</summary>
    public bool IsInternational => !System.Text.Ascii.IsValid(LocalPart) || !System.Text.Ascii.IsValid(Domain);

    public override string ToString() => Domain.Length == 0 ? LocalPart : $"{LocalPart}@{Domain}";
}
