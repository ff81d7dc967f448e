using System.Globalization;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Access;

/// <summary>What a policy check decided, with the reply to send when it refuses.</summary>
public enum VerdictKind
{
    /// <summary>No decision here: the next check decides (sendmail's "no match" or a requirement that is met).</summary>
    Continue,

    /// <summary><c>OK</c>: accepted, and the remaining checks of this kind are skipped.</summary>
    Ok,

    /// <summary><c>RELAY</c>: accepted, relaying allowed.</summary>
    Relay,

    /// <summary>Refused with <see cref="Verdict.Reply"/>.</summary>
    Reject,

    /// <summary><c>DISCARD</c>: accepted, then thrown away.</summary>
    Discard,
}

/// <summary>
/// A policy decision. <see cref="Reason"/> says which rule decided (for the log and <c>gateway map test</c>);
/// it never reaches the client.
/// </summary>
public sealed record Verdict(VerdictKind Kind, int Code = 0, string Status = "", string Text = "", string Reason = "")
{
    public static readonly Verdict Continue = new(VerdictKind.Continue);

    public bool Refuses => Kind == VerdictKind.Reject;

    /// <summary>
    /// The refusal is "Relaying denied", which the session words after the client's reverse lookup
    /// (<see cref="SmtpReplies.RelayingDenied"/>); the verdict itself stays the same for every client, so it can be cached.
    /// </summary>
    public bool RelayDenied { get; init; }

    /// <summary>The reply as sent: <c>454 4.7.0 not authenticated</c>; empty unless refused.</summary>
    public string Reply => Kind == VerdictKind.Reject
        ? string.Create(CultureInfo.InvariantCulture, $"{Code} {(Status.Length > 0 ? Status + " " : "")}{Text}")
        : "";

    public static Verdict Reject(int code, string status, string text, string reason = "") => new(VerdictKind.Reject, code, status, text, reason);

    /// <summary>A refusal worded by the reply catalogue (<see cref="SmtpReplies"/>).</summary>
    public static Verdict Reject(Reply reply, string reason)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new(VerdictKind.Reject, (int)reply.Code, reply.Status?.ToString() ?? "", string.Join(' ', reply.Lines), reason);
    }

    /// <summary>The refusal as a session reply (403 and 503 kept as sendmail sends them, R53).</summary>
    public Reply ToReply()
    {
        var parts = Status.Split('.');
        EnhancedStatus? status = parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var c)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var d)
                ? new EnhancedStatus(c, s, d)
                : null;
        return new Reply((ReplyCode)Code, status, Text);
    }

    public override string ToString() => Kind == VerdictKind.Reject ? Reply : Kind.ToString().ToUpperInvariant();
}
