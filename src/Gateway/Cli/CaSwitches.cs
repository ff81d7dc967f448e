using System.Globalization;

namespace Gateway.Cli;

/// <summary>
/// The switches of one <c>gateway ca</c> subcommand: <c>--name value</c> or <c>--name=value</c>, repeatable
/// ones, and flags. Anything else is a <see cref="CaUsageError"/> that names the switch.
/// </summary>
internal sealed class CaSwitches
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CaSwitches()
    {
    }

    /// <param name="single">Switches that take one value.</param>
    /// <param name="repeatable">Switches that take a value and may be given more than once.</param>
    /// <param name="flags">Switches without a value.</param>
    public static CaSwitches Parse(IReadOnlyList<string> args, string[] single, string[] repeatable, string[] flags)
    {
        var parsed = new CaSwitches();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (flags.Contains(name))
            {
                parsed._flags.Add(inline is null ? name : throw new CaUsageError($"{name} takes no value"));
            }
            else if (single.Contains(name) || repeatable.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw new CaUsageError($"{name} needs a value"));
                if (value.Length == 0)
                {
                    throw new CaUsageError($"{name} needs a non-empty value");
                }

                if (parsed._values.TryGetValue(name, out var list) && single.Contains(name))
                {
                    throw new CaUsageError($"{name} given more than once");
                }

                (list ?? (parsed._values[name] = [])).Add(value);
            }
            else
            {
                throw new CaUsageError(name.StartsWith('-') ? $"unknown switch {name}" : $"unexpected argument '{name}'");
            }
        }

        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[0] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public string Required(string name) => Value(name) ?? throw new CaUsageError($"{name} is required");

    /// <summary>A whole number of days, 1 to 36500 (a hundred years; past that the date is surely a typo).</summary>
    public int Days(string name, int fallback)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 36500
            ? days
            : throw new CaUsageError($"{name} must be a whole number of days from 1 to 36500, not '{text}'");
    }
}
