namespace Gateway.Protocol.Replies;

/// <summary>
/// One SMTP reply. <see cref="Status"/> is null only where RFC 2034 §3 leaves the enhanced code out
/// (the greeting, the EHLO/HELO reply) and on 354, which carries no status (RFC 2034 §4).
/// <see cref="Lines"/> holds the text of each line of a multi-line reply.
/// </summary>
public sealed record Reply(ReplyCode Code, EnhancedStatus? Status, IReadOnlyList<string> Lines)
{
    public Reply(ReplyCode code, EnhancedStatus? status, string text)
        : this(code, status, [text])
    {
    }

    public bool IsPositive => Code < (ReplyCode)400;

    public bool IsTransientFailure => Code is >= (ReplyCode)400 and < (ReplyCode)500;

    public bool IsPermanentFailure => Code >= (ReplyCode)500;

    /// <summary>421 and 221 end the session: the writer flushes them and then closes.</summary>
    public bool ClosesConnection => Code is ReplyCode.Closing or ReplyCode.ServiceNotAvailable;

    // Records compare a list member by reference, so two equal replies built by SmtpReplies.X(...)
    // were unequal; a reply is a value, so its lines are compared by content.
    public bool Equals(Reply? other) =>
        other is not null && Code == other.Code && Status == other.Status && Lines.SequenceEqual(other.Lines);

    public override int GetHashCode() => HashCode.Combine(Code, Status, Lines.Count);

    public override string ToString()
    {
        var status = Status is { } s ? $" {s}" : "";
        return $"{(int)Code}{status} {string.Join(" / ", Lines)}";
    }
}
