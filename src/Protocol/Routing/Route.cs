using System.Globalization;
using System.Net;

namespace Gateway.Protocol.Routing;

/// <summary>
/// Where mail for a recipient domain goes next (<c>Delivery:Routes</c>, <c>Delivery:SmartHost</c>). The set is closed.
/// The written forms are Postfix's transport and sendmail's mailertable ones: a host in brackets is that host alone,
/// without an MX lookup; a bare host name is looked up as a mail domain first.
/// </summary>
public abstract record Route
{
    private Route() { }

    /// <summary>Delivered on this node, to the Maildir (local domains, or <c>maildir</c>).</summary>
    public sealed record Maildir : Route
    {
        public static readonly Maildir Instance = new();

        public override string ToString() => "maildir";
    }

    /// <summary>The recipient domain's own MX hosts (RFC 5321 §5.1): <c>mx</c>, and the default without a smart host.</summary>
    public sealed record RecipientMx : Route
    {
        public static readonly RecipientMx Instance = new();

        public override string ToString() => "mx";
    }

    /// <summary>A fixed next hop: <c>smtp:[host]:port</c> (that host alone) or <c>smtp:host[:port]</c> (its MX hosts first).</summary>
    public sealed record Relay(string Host, int Port, bool LookUpMx) : Route
    {
        public override string ToString() =>
            LookUpMx ? string.Create(CultureInfo.InvariantCulture, $"smtp:{Host}:{Port}") : string.Create(CultureInfo.InvariantCulture, $"smtp:[{Host}]:{Port}");
    }

    /// <summary>RFC 5321 §4.5.4.1's port for relaying.</summary>
    public const int SmtpPort = 25;

    /// <summary>
    /// One route as written: <c>maildir</c>, <c>mx</c>, <c>smtp:[host]</c>, <c>smtp:[host]:port</c>, <c>smtp:host</c> or
    /// <c>smtp:host:port</c>. Null with <paramref name="error"/> saying what is wrong, for the configuration's message.
    /// </summary>
    public static Route? Parse(string text, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = "";
        var value = text.Trim();
        if (value.Equals("maildir", StringComparison.OrdinalIgnoreCase))
        {
            return Maildir.Instance;
        }

        if (value.Equals("mx", StringComparison.OrdinalIgnoreCase))
        {
            return RecipientMx.Instance;
        }

        if (!value.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{text}' is not a route: use maildir, mx, smtp:[host]:port or smtp:host[:port]";
            return null;
        }

        return ParseRelay(value[5..], text, out error);
    }

    private static Relay? ParseRelay(string rest, string text, out string error)
    {
        error = "";
        string host;
        string? port = null;
        var bracketed = rest.StartsWith('[');
        if (bracketed)
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}': '[' without ']'";
                return null;
            }

            host = rest[1..close];
            var after = rest[(close + 1)..];
            if (after.Length > 0 && !after.StartsWith(':'))
            {
                error = $"'{text}': only ':port' may follow ']'";
                return null;
            }

            port = after.Length > 0 ? after[1..] : null;
        }
        else
        {
            // An IPv6 literal has colons of its own, so it must be bracketed; then the last colon is the port's.
            var colon = rest.LastIndexOf(':');
            (host, port) = colon < 0 ? (rest, null) : (rest[..colon], rest[(colon + 1)..]);
        }

        var isAddress = IPAddress.TryParse(host, out _);
        if (host.Length == 0 || !(isAddress || HostNames.IsValid(host)))
        {
            error = host.Length == 0 ? $"'{text}' names no host" : $"'{text}': '{host}' is not a host name or an IP address";
            return null;
        }

        if (isAddress && !bracketed)
        {
            // An address has no MX records: sendmail and Postfix both want it bracketed.
            error = $"'{text}': an IP address is written in brackets, smtp:[{host}]";
            return null;
        }

        var number = SmtpPort;
        if (port is not null && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is >= 1 and <= 65535))
        {
            error = $"'{text}': '{port}' is not a port number (1-65535)";
            return null;
        }

        return new Relay(host.TrimEnd('.').ToLowerInvariant(), number, LookUpMx: !bracketed);
    }
}
