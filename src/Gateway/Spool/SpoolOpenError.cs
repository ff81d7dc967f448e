namespace Gateway.Spool;

/// <summary>
/// The spool's database cannot be opened at start: locked by another process, damaged, or unreadable. The message names
/// the directory, RocksDB's reason and what an operator can do, so that start-up ends with one line, not a stack trace.
/// </summary>
internal sealed class SpoolOpenError(string path, string reason) : Exception(Describe(path, reason))
{
    private static string Describe(string path, string reason)
    {
        // RocksDB takes an advisory lock on <dir>/LOCK (flock); a second node on the same Queue:Directory is refused.
        var hint = reason.Contains("lock", StringComparison.OrdinalIgnoreCase)
            ? "another gateway process uses this Queue:Directory (stop it, or give this node its own directory)"
            : reason.Contains("Corruption", StringComparison.OrdinalIgnoreCase)
                ? "the spool is damaged; its messages cannot be read (move the directory aside to start with an empty spool, and keep it for recovery)"
                : "check the directory's permissions and the disk";
        return $"cannot open the spool {path}: {reason.Trim()}: {hint}";
    }
}
