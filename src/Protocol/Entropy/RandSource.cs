namespace Gateway.Protocol.Entropy;

/// <summary>
/// Where the node's generator is seeded from (SPEC R71, R72; <c>Entropy:RandFile</c>): the kernel's random device
/// by default (sendmail's HASURANDOMDEV behaviour), or in compatibility mode an EGD socket or a rand file.
/// </summary>
public abstract record RandSource
{
    /// <summary>Unset: the OS CSPRNG (/dev/urandom); R71: RandFile is then ignored.</summary>
    public sealed record Kernel : RandSource
    {
        public static readonly Kernel Instance = new();
    }

    /// <summary><c>egd:/path</c>: an EGD-compatible daemon on a Unix socket (R76, R77).</summary>
    public sealed record Egd(string SocketPath) : RandSource;

    /// <summary><c>file:/path</c>: a rand file rewritten regularly by an external job (R73).</summary>
    public sealed record File(string Path) : RandSource;

    /// <summary>
    /// R72: the prefix is matched in any case. Unset (null) is the kernel device; an empty value, or a prefix
    /// with nothing after it, is sendmail's "missing random file definition"; any other prefix is "no proper random
    /// file definition". <paramref name="error"/> is then sendmail's log line.
    /// </summary>
    public static RandSource? Parse(string? value, out string? error)
    {
        error = null;
        if (value is null)
        {
            return Kernel.Instance;
        }

        var text = value.Trim();
        if (text.Length == 0)
        {
            error = "STARTTLS: Error: missing random file definition";
            return null;
        }

        if (text.StartsWith("egd:", StringComparison.OrdinalIgnoreCase) && text.Length > 4)
        {
            return new Egd(text[4..]);
        }

        if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && text.Length > 5)
        {
            return new File(text[5..]);
        }

        error = text.Equals("egd:", StringComparison.OrdinalIgnoreCase) || text.Equals("file:", StringComparison.OrdinalIgnoreCase)
            ? "STARTTLS: Error: missing random file definition"
            : $"STARTTLS: Error: no proper random file definition {text}";
        return null;
    }
}
