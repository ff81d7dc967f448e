using System.Globalization;

namespace Gateway.Protocol.Client;

/// <summary>
/// What a next hop offered in its EHLO reply (RFC 5321 §4.1.1.1), as far as relaying to it cares. A server answered
/// with HELO offers nothing (<see cref="None"/>). <see cref="SizeLimit"/>: RFC 1870's fixed maximum, 0 when SIZE came
/// without one, null when SIZE was not offered.
/// </summary>
public sealed record ServerExtensions(
    bool Pipelining = false,
    long? SizeLimit = null,
    bool EightBitMime = false,
    bool SmtpUtf8 = false,
    bool Chunking = false,
    bool Dsn = false,
    bool StartTls = false,
    bool EnhancedStatusCodes = false)
{
    public static readonly ServerExtensions None = new();

    public static ServerExtensions From(ServerReply ehlo)
    {
        ArgumentNullException.ThrowIfNull(ehlo);
        var extensions = None;
        foreach (var line in ehlo.Lines.Skip(1))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            extensions = words[0].ToUpperInvariant() switch
            {
                "PIPELINING" => extensions with { Pipelining = true },
                "SIZE" => extensions with { SizeLimit = words.Length > 1 && long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : 0 },
                "8BITMIME" => extensions with { EightBitMime = true },
                "SMTPUTF8" => extensions with { SmtpUtf8 = true },
                "CHUNKING" => extensions with { Chunking = true },
                "DSN" => extensions with { Dsn = true },
                "STARTTLS" => extensions with { StartTls = true },
                "ENHANCEDSTATUSCODES" => extensions with { EnhancedStatusCodes = true },
                _ => extensions,
            };
        }

        return extensions;
    }
}
