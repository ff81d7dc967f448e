using Gateway.Protocol.Replies;
using System.Text.RegularExpressions;

namespace Gateway.Protocol.Access;

/// <summary>
/// The classic access-map values of <c>Connect:</c>, <c>From:</c> and <c>To:</c> entries (and untagged ones), as
/// sendmail users write them: <c>OK</c>, <c>RELAY</c>, <c>REJECT</c>, <c>DISCARD</c>, <c>SKIP</c>, and
/// <c>ERROR:"550 text"</c> (also <c>ERROR:5.7.1:550 text</c>, the enhanced code first, quotes optional).
/// </summary>
public static partial class AccessAction
{
    /// <summary>sendmail's text for REJECT: <c>550 5.7.1 Access denied</c>.</summary>
    public static readonly Verdict Rejected = Verdict.Reject(SmtpReplies.AccessDenied, "");

    /// <summary>
    /// The verdict <paramref name="value"/> states, or null with <paramref name="error"/> set when it is not one
    /// of the forms above. <c>SKIP</c> is <see cref="VerdictKind.Continue"/>: stop looking, decide nothing.
    /// </summary>
    public static Verdict? Parse(string value, out string? error)
    {
        error = null;
        var text = value.Trim();
        switch (text.ToUpperInvariant())
        {
            case "OK":
                return new Verdict(VerdictKind.Ok);
            case "RELAY":
                return new Verdict(VerdictKind.Relay);
            case "REJECT":
                return Rejected;
            case "DISCARD":
                return new Verdict(VerdictKind.Discard);
            case "SKIP":
                return Verdict.Continue;
        }

        if (!text.StartsWith("ERROR:", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{value}' is not OK, RELAY, REJECT, DISCARD, SKIP or ERROR:\"code text\"";
            return null;
        }

        var body = text[6..].Trim();
        string? status = null;
        if (LeadingStatus().Match(body) is { Success: true } lead)
        {
            status = lead.Groups["status"].Value;
            body = body[lead.Length..];
        }

        if (body.StartsWith('"') && body.EndsWith('"') && body.Length >= 2)
        {
            body = body[1..^1];
        }

        var reply = ErrorReply().Match(body);
        if (!reply.Success)
        {
            error = $"'{value}': ERROR needs a 4xx or 5xx code and a text, e.g. ERROR:\"550 5.7.1 Go away\"";
            return null;
        }

        var code = int.Parse(reply.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var replyStatus = reply.Groups["status"].Success ? reply.Groups["status"].Value : status ?? (code >= 500 ? "5.7.1" : "4.7.1");
        if (replyStatus[0] != reply.Groups["code"].Value[0])
        {
            error = $"'{value}': enhanced code {replyStatus} does not agree with reply code {code} (RFC 3463: same class)";
            return null;
        }

        return Verdict.Reject(code, replyStatus, reply.Groups["text"].Value.Trim());
    }

    [GeneratedRegex(@"^(?<status>[45]\.\d{1,3}\.\d{1,3}):")]
    private static partial Regex LeadingStatus();

    [GeneratedRegex(@"^(?<code>[45]\d\d)(?:\s+(?<status>[45]\.\d{1,3}\.\d{1,3}))?\s+(?<text>\S.*)$")]
    private static partial Regex ErrorReply();
}
