using System.Diagnostics;
using System.Globalization;
using Gateway.Configuration;

namespace Gateway.Faults;

/// <summary>
/// A test hook, off unless <c>TEST_GATEWAY_CRASH_POINT</c> is set: the process SIGKILLs itself the Nth time it reaches one
/// point of a message's life, so that a crash test or bench/crashloop.sh stops a node exactly there rather than by luck.
/// <c>data</c>: the end of data received, before the commit (no reply, nothing stored). <c>committed</c>: the spool's
/// commit synced, before the 250 is sent. <c>delivering</c>: a local delivery's copies in Maildir, before the queue
/// hears of it (the spool still holds the message). <c>:after-N</c> picks the Nth time (default the first).
/// The name does not start with GATEWAY_, whose variables are configuration keys.
/// </summary>
internal sealed class CrashPoint
{
    public const string Variable = "TEST_GATEWAY_CRASH_POINT";

    private readonly int _after;
    private int _reached;

    private CrashPoint(CrashPlace place, int after)
    {
        Place = place;
        _after = after;
    }

    public CrashPlace Place { get; }

    /// <summary>Which arrival at <see cref="Place"/> kills (1 = the first).</summary>
    public int After => _after;

    /// <summary>Null when the variable is unset or empty; a ConfigurationError naming it when it makes no sense.</summary>
    public static CrashPoint? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    public static CrashPoint? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Split(':', 2);
        CrashPlace? place = parts[0] switch
        {
            "data" => CrashPlace.Data,
            "committed" => CrashPlace.Committed,
            "delivering" => CrashPlace.Delivering,
            _ => null,
        };
        var after = 1;
        if (place is null || (parts.Length == 2 && !(parts[1].StartsWith("after-", StringComparison.Ordinal)
            && int.TryParse(parts[1].AsSpan("after-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out after) && after > 0)))
        {
            throw new ConfigurationError(Variable, $"'{text}' is not data, committed or delivering, optionally followed by :after-N (N > 0)");
        }

        return new CrashPoint(place.Value, after);
    }

    /// <summary>Counts one arrival at <paramref name="place"/>; at the Nth, SIGKILL: no shutdown hook, no flush.</summary>
    public void Reached(CrashPlace place)
    {
        if (place != Place || Interlocked.Increment(ref _reached) != _after)
        {
            return;
        }

        // Standard error is unbuffered: the line is out before the signal, for the script that counts kills per point.
        Console.Error.WriteLine($"gateway: {Variable}={Place.ToString().ToLowerInvariant()}:after-{_after} reached: SIGKILL");
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }
}
