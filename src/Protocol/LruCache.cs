namespace Gateway.Protocol;

/// <summary>
/// A bounded least-recently-used cache. Not thread-safe: one actor owns it, or its user locks. Bounded because the
/// keys come from clients (addresses, senders, recipients): an unbounded cache would be a memory attack.
/// </summary>
public sealed class LruCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _index = new(Math.Min(capacity, 1 << 16));
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();

    public int Count => _index.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_index.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Add(TKey key, TValue value)
    {
        if (_index.TryGetValue(key, out var existing))
        {
            _order.Remove(existing);
            _index.Remove(key);
        }
        else if (_index.Count >= capacity && _order.Last is { } oldest)
        {
            _order.RemoveLast();
            _index.Remove(oldest.Value.Key);
        }

        _index[key] = _order.AddFirst((key, value));
    }

    public void Clear()
    {
        _index.Clear();
        _order.Clear();
    }
}
