using System.Globalization;
using System.Net;

namespace Gateway.Cli;

/// <summary>A target as an administrator types it: <c>host</c>, <c>host:port</c>, <c>[address]:port</c>, or a bare IPv6 address.</summary>
internal readonly record struct HostPort(string Host, int Port)
{
    /// <summary>The host without brackets, as the resolver and SNI need it.</summary>
    public string BareHost => Host.StartsWith('[') && Host.EndsWith(']') ? Host[1..^1] : Host;

    /// <summary>A bare IPv6 address (several colons) has no port and gets <paramref name="defaultPort"/>; anything else unusable is a <see cref="UsageError"/>.</summary>
    public static HostPort Parse(string target, int defaultPort)
    {
        string host;
        string? port = null;
        if (target.StartsWith('['))
        {
            var close = target.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < target.Length && target[close + 1] != ':'))
            {
                throw new UsageError($"'{target}' is not HOST:PORT or [ADDRESS]:PORT");
            }

            host = target[..(close + 1)];
            port = close + 1 < target.Length ? target[(close + 2)..] : null;
        }
        else if (target.Count(c => c == ':') == 1)
        {
            (host, port) = (target[..target.IndexOf(':', StringComparison.Ordinal)], target[(target.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        }
        else
        {
            host = target.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(target, out _) ? $"[{target}]" : target;
        }

        if (host.Length == 0 || host == "[]")
        {
            throw new UsageError($"'{target}' names no host");
        }

        return port is null ? new HostPort(host, defaultPort)
            : int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535 ? new HostPort(host, number)
            : throw new UsageError($"'{port}' is not a port number (1-65535)");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
