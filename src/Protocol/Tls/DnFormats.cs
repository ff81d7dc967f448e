using System.Diagnostics.CodeAnalysis;

namespace Gateway.Protocol.Tls;

/// <summary>The configuration spelling of <see cref="DnFormat"/>: "openssl3" (default) or "legacy".</summary>
public static class DnFormats
{
    public const string OpenSsl3 = "openssl3";
    public const string Legacy = "legacy";

    /// <exception cref="FormatException">The value is neither "openssl3" nor "legacy".</exception>
    public static DnFormat Parse(string value) =>
        TryParse(value, out var format)
            ? format
            : throw new FormatException($"DN format must be \"{OpenSsl3}\" or \"{Legacy}\", not \"{value}\".");

    public static bool TryParse([NotNullWhen(true)] string? value, out DnFormat format)
    {
        format = DnFormat.OpenSsl3;
        if (string.Equals(value, OpenSsl3, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(value, Legacy, StringComparison.OrdinalIgnoreCase))
        {
            format = DnFormat.Legacy;
            return true;
        }

        return false;
    }

    public static string Name(DnFormat format) => format == DnFormat.Legacy ? Legacy : OpenSsl3;
}
