namespace Gateway.Protocol.Session;

/// <summary>The per-listener facts and limits the session rules need; all values, no I/O.</summary>
public sealed record SessionSettings(
    string Hostname,
    long MaxMessageSize,
    int MaxRecipients,
    int MaxBadCommands,
    IReadOnlySet<string> LocalDomains,
    bool StartTlsOffered = false)
{
    /// <summary>RFC 5321 §4.1.1.1 EHLO keywords, in the order they are advertised.</summary>
    // Computed, not stored: a stored list kept the old SIZE after "settings with { MaxMessageSize = … }".
    public IReadOnlyList<string> Extensions =>
    [
        "PIPELINING",               // RFC 2920
        $"SIZE {MaxMessageSize}",   // RFC 1870
        "8BITMIME",                 // RFC 6152
        "ENHANCEDSTATUSCODES",      // RFC 2034
        "SMTPUTF8",                 // RFC 6531
        "CHUNKING",                 // RFC 3030
        "DSN",                      // RFC 3461
        "HELP",
    ];

    /// <summary>
    /// The EHLO keywords for this session: STARTTLS only while it is usable and not yet active
    /// (SPEC R1, RFC 3207 §4.2: never advertised again after the handshake).
    /// </summary>
    public IReadOnlyList<string> ExtensionsFor(SessionState state) =>
        StartTlsOffered && !state.TlsActive && !state.Policy.TlsHidden ? [.. Extensions.SkipLast(1), "STARTTLS", "HELP"] : Extensions;

    /// <summary>
    /// The one rule for "is this recipient's domain ours" (the session without a map, the access map's relay check and
    /// <c>gateway map test</c> all ask here). A recipient without a domain is local: RFC 5321 §4.5.1's bare
    /// <c>postmaster</c>. A trailing dot is the root, not part of the name. RFC 5321 §2.4: domains are
    /// case-insensitive, whatever comparer the set was built with.
    /// </summary>
    public bool IsLocal(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Length == 0)
        {
            return true;
        }

        var name = domain.EndsWith('.') ? domain.TrimEnd('.') : domain;
        return LocalDomains.Contains(name) || LocalDomains.Any(d => d.Equals(name, StringComparison.OrdinalIgnoreCase));
    }
}
