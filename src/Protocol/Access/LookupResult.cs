namespace Gateway.Protocol.Access;

/// <summary>One lookup: every key tried in order, and the first that matched with its value (or none).</summary>
public sealed record LookupResult(IReadOnlyList<string> Tried, string? MatchedKey, string? Value)
{
    public bool Found => MatchedKey is not null;

    /// <summary>Tries <paramref name="keys"/> in order and stops at the first hit (R55: first hit wins).</summary>
    public static LookupResult In(AccessMap map, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(keys);
        for (var i = 0; i < keys.Count; i++)
        {
            if (map.Find(keys[i]) is { } value)
            {
                return new LookupResult(keys.Take(i + 1).ToArray(), keys[i], value);
            }
        }

        return new LookupResult(keys, null, null);
    }
}
