using Gateway.Tls;

namespace Gateway.Cli;

/// <summary>What <c>gateway ca issue</c> accepts as a subjectAltName: an ASCII host name (a leading <c>*.</c> allowed) or an IP literal.</summary>
internal static class CaHostNames
{
    public static bool IsValid(string name) => CertificateAuthority.IsIpLiteral(name) || IsHostName(name);

    // RFC 1123 §2.1 labels, plus '_' which internal names use; RFC 6125 §6.4.3 wildcards only as the whole left-most label.
    private static bool IsHostName(string name)
    {
        var labels = name.Split('.');
        return name.Length <= 253 && labels.Select((label, i) => IsLabel(label) || (i == 0 && labels.Length > 2 && label == "*")).All(ok => ok);
    }

    private static bool IsLabel(string label) =>
        label.Length is >= 1 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
