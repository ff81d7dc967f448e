using System.Net;
using System.Net.Sockets;
using Gateway.Protocol.Mail;

namespace Gateway.Protocol.Commands;

/// <summary>
/// RFC 5321 §4.1.2 Path = "&lt;" [ A-d-l ":" ] Mailbox "&gt;", with RFC 6531 UTF-8 allowed in both
/// parts (the caller refuses it without SMTPUTF8). The source route is accepted and dropped
/// (RFC 5321 §4.1.1.3: servers SHOULD accept it and MAY ignore it).
/// </summary>
public static class PathParser
{
    public static bool TryParse(string path, out Mailbox mailbox, out string? why)
    {
        mailbox = null!;
        if (System.Text.Encoding.UTF8.GetByteCount(path) > Limits.Path)
        {
            why = "path too long";
            return false;
        }

        if (path.Length < 2 || path[0] != '<' || path[^1] != '>')
        {
            why = "angle brackets required";
            return false;
        }

        var inner = path[1..^1];
        if (inner.StartsWith('@'))
        {
            var colon = inner.IndexOf(':');
            if (colon < 0 || !SourceRoute(inner[..colon]))
            {
                why = "bad source route";
                return false;
            }

            inner = inner[(colon + 1)..];
        }

        return TryParseMailbox(inner, out mailbox, out why);
    }

    public static bool TryParseMailbox(string text, out Mailbox mailbox, out string? why)
    {
        mailbox = null!;
        var at = LocalPartEnd(text);
        var local = at < 0 ? text : text[..at];
        var domain = at < 0 ? "" : text[(at + 1)..];
        if (!IsLocalPart(local))
        {
            why = "bad local part";
            return false;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(local) > Limits.LocalPart)
        {
            why = "local part too long";
            return false;
        }

        if (at >= 0 && !IsDomainOrLiteral(domain))
        {
            why = "bad domain";
            return false;
        }

        why = null;
        mailbox = new Mailbox(local, domain);
        return true;
    }

    /// <summary>Index of the '@' after the local part, or -1; a quoted local part may hold '@'.</summary>
    private static int LocalPartEnd(string text)
    {
        if (!text.StartsWith('"'))
        {
            return text.LastIndexOf('@');
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i + 1 < text.Length && text[i + 1] == '@' ? i + 1 : (i + 1 == text.Length ? -1 : -2);
            }
        }

        return -2;
    }

    private static bool SourceRoute(string route) =>
        route.Split(',').All(hop => hop.Length > 1 && hop[0] == '@' && IsDomain(hop[1..]));

    /// <summary>RFC 5321 Local-part = Dot-string / Quoted-string.</summary>
    public static bool IsLocalPart(string local)
    {
        if (local.Length == 0)
        {
            return false;
        }

        if (local[0] == '"')
        {
            return IsQuotedString(local);
        }

        return local.Split('.').All(atom => atom.Length > 0 && atom.All(IsAtext));
    }

    private static bool IsQuotedString(string s)
    {
        if (s.Length < 2 || s[^1] != '"')
        {
            return false;
        }

        for (var i = 1; i < s.Length - 1; i++)
        {
            var c = s[i];
            if (c == '\\')
            {
                // quoted-pairSMTP = %d92 %d32-126
                if (++i >= s.Length - 1 || s[i] < 32 || s[i] > 126)
                {
                    return false;
                }
            }
            else if (c == '"' || (c < 32) || c == 127)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 5322 atext, plus any non-ASCII character (RFC 6531 UTF8-non-ascii).</summary>
    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c) || c > 127;

    public static bool IsDomainOrLiteral(string domain) =>
        domain.StartsWith('[') ? IsAddressLiteral(domain) : IsDomain(domain);

    /// <summary>RFC 5321 Domain = sub-domain *("." sub-domain); U-labels allowed (RFC 6531).</summary>
    public static bool IsDomain(string domain)
    {
        if (domain.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(domain) > Limits.Domain)
        {
            return false;
        }

        return domain.Split('.').All(label =>
            label.Length is > 0 and <= 63
            && label[0] != '-' && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c > 127));
    }

    private static bool IsAddressLiteral(string literal)
    {
        if (literal.Length < 3 || literal[^1] != ']')
        {
            return false;
        }

        var inner = literal[1..^1];
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.TryParse(inner[5..], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // RFC 5321 §4.1.3: IPv4-address-literal = Snum 3("."  Snum); IPAddress.TryParse alone
        // would also take "1" or "1.2" as IPv4.
        var parts = inner.Split('.');
        return parts.Length == 4
            && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }
}
