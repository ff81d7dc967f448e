namespace Gateway.Access;

/// <summary>
/// The digest of the map file this node last published (<c>&lt;Queue:Directory&gt;/ddata/access-map.published</c>).
/// A node publishes its Access:MapFile at start only when the file changed since: a restart with the same file must
/// not undo a <c>gateway map push</c> made meanwhile (a restart is not an edit).
/// </summary>
internal static class PublishedMapFile
{
    private static string PathIn(string queueDirectory) => Path.Combine(queueDirectory, "ddata", "access-map.published");

    /// <summary>The digest last written, or null (never, or unreadable: then the file is published again, which is safe).</summary>
    public static string? Read(string queueDirectory)
    {
        try
        {
            return File.Exists(PathIn(queueDirectory)) ? File.ReadAllText(PathIn(queueDirectory)).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Best effort: losing it only means the unchanged file is published once more at the next start.</summary>
    public static void Write(string queueDirectory, string digest)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(PathIn(queueDirectory))!);
            File.WriteAllText(PathIn(queueDirectory), digest + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not worth failing a start or a reload for.
        }
    }
}
