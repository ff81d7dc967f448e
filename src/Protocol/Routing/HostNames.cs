namespace Gateway.Protocol.Routing;

/// <summary>Host names as DNS and RFC 5321 §2.3.5 have them: LDH labels of 1–63 characters (RFC 1123 §2.1), 253 in all.</summary>
public static class HostNames
{
    /// <summary>An ASCII host name (internationalised names in their xn-- form); one trailing dot (the root) is allowed.</summary>
    public static bool IsValid(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        return trimmed.Length is >= 1 and <= 253 && trimmed.Split('.').All(IsLabel);
    }

    private static bool IsLabel(string label) =>
        label.Length is >= 1 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
