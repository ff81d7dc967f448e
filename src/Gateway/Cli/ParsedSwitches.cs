namespace Gateway.Cli;

/// <summary>
/// A subcommand's command line split into switches with values (<c>--name value</c> or <c>--name=value</c>),
/// flags (<c>--name</c>) and positional arguments. Unknown switches, missing or empty values and repeats
/// are refused with a message naming the switch; <c>usage</c> builds the subcommand's own error type.
/// </summary>
internal sealed record ParsedSwitches(IReadOnlyDictionary<string, string> Values, IReadOnlySet<string> Flags, IReadOnlyList<string> Positional)
{
    public static ParsedSwitches Parse(
        IReadOnlyList<string> args, IReadOnlyCollection<string> valueSwitches, IReadOnlyCollection<string> flagSwitches, Func<string, Exception> usage)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (flagSwitches.Contains(name))
            {
                flags.Add(inline is null ? name : throw usage($"{name} takes no value"));
            }
            else if (valueSwitches.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw usage($"{name} needs a value"));
                values[name] = value.Length > 0 && !values.ContainsKey(name)
                    ? value
                    : throw usage(value.Length == 0 ? $"{name} needs a non-empty value" : $"{name} given more than once");
            }
            else if (name.StartsWith('-') && name.Length > 1)
            {
                throw usage($"unknown switch {name}");
            }
            else
            {
                positional.Add(name);
            }
        }

        return new ParsedSwitches(values, flags, positional);
    }

    public string? Value(string name) => Values.GetValueOrDefault(name);

    public bool Flag(string name) => Flags.Contains(name);
}
