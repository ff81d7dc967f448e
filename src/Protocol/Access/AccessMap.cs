using System.Collections.Frozen;

namespace Gateway.Protocol.Access;

/// <summary>
/// sendmail's access map (SPEC R50): <c>Tag:rest</c> keys (or untagged ones, which the classic Connect, From and
/// To lookups also try), matched case-insensitively, with values kept exactly as written. Immutable: a reload builds a new map and swaps it whole, so a lookup never sees
/// half of an edit.
/// </summary>
public sealed class AccessMap
{
    /// <summary>More than any real access map; a bound so a runaway generated file cannot exhaust memory.</summary>
    public const int MaxEntries = 10_000_000;

    /// <summary>sendmail's map lines are read into a fixed buffer; a DN cannot be wrapped (R50), so this is generous.</summary>
    public const int MaxLineLength = 8192;

    public static readonly AccessMap Empty = new(FrozenDictionary<string, string>.Empty);

    private readonly FrozenDictionary<string, string> _entries;

    private AccessMap(FrozenDictionary<string, string> entries) => _entries = entries;

    public int Count => _entries.Count;

    /// <summary>The value stored for <paramref name="key"/> (any case), or null.</summary>
    public string? Find(string key) => _entries.GetValueOrDefault(key.ToLowerInvariant());

    /// <summary>Builds a map from entries already split into key and value (keys folded here, R50).</summary>
    public static AccessMap From(IEnumerable<KeyValuePair<string, string>> entries) =>
        new(entries.ToFrozenDictionary(e => e.Key.ToLowerInvariant(), e => e.Value, StringComparer.Ordinal));

    /// <summary>
    /// Parses the text form makemap reads: one <c>key&lt;blank&gt;value</c> per line, blank lines and lines
    /// starting with <c>#</c> ignored. The key ends at the first blank; the value is the rest of the line
    /// without the blanks around it (it may contain blanks and quotes: <c>ERROR:"550 5.7.1 Go away"</c>).
    /// A line without a value, a value its tag cannot hold (<see cref="AccessValues"/>), a duplicate key (in any
    /// case) or a NUL byte is an error naming the line.
    /// </summary>
    public static AccessMap Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length > MaxLineLength)
            {
                throw new AccessMapError(file, number, $"line longer than {MaxLineLength} characters");
            }

            if (line.Contains('\0', StringComparison.Ordinal))
            {
                throw new AccessMapError(file, number, "NUL character");
            }

            var content = line.Trim(' ', '\t');
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            var blank = content.IndexOfAny([' ', '\t']);
            if (blank < 0)
            {
                throw new AccessMapError(file, number, $"key '{content}' has no value");
            }

            var key = content[..blank];
            var value = content[blank..].Trim(' ', '\t');
            if (AccessValues.Check(key, value) is { } wrong)
            {
                throw new AccessMapError(file, number, $"{key}: {wrong}");
            }

            var folded = key.ToLowerInvariant();
            if (entries.TryGetValue(folded, out var earlier))
            {
                throw new AccessMapError(file, number, $"duplicate key '{key}' (first on line {earlier.Line})");
            }

            if (entries.Count >= MaxEntries)
            {
                throw new AccessMapError(file, number, $"more than {MaxEntries} entries");
            }

            entries[folded] = (value, number);
        }

        return new AccessMap(entries.ToFrozenDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal));
    }
}
