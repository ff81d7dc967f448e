using Gateway.Protocol.Access;
using Gateway.Tls;

namespace Gateway.Access;

/// <summary>
/// Reads the access map file (Access:MapFile) with the checks sendmail makes on map files: it must exist and
/// must not be writable by group or others, nor sit in a directory they can write (R34's rules, as for
/// certificates): whoever can write the map decides who may relay.
/// </summary>
internal static class AccessMapFile
{
    /// <summary>
    /// What a map file looked like when read: a change of any of these means "read it again". The inode catches a
    /// file renamed over the map with its old time and size kept (rsync -t, cp -p); the status-change time catches a
    /// chmod that makes the map unsafe, and an edit within one modification-time tick.
    /// </summary>
    public readonly record struct Stamp(DateTime Modified, long Length, ulong Inode, long ChangedSeconds, long ChangedNanoseconds)
    {
        public static Stamp Of(FileInfo file)
        {
            NativeMethods.Identity(file.FullName, out var inode, out var seconds, out var nanoseconds);
            return new Stamp(file.LastWriteTimeUtc, file.Length, inode, seconds, nanoseconds);
        }
    }

    /// <summary>A map file as read: its text (what the cluster replicates), the map parsed from it, and its stamp.</summary>
    public sealed record Loaded(AccessMap Map, string Text, Stamp Stamp);

    /// <summary>The map, or an exception naming the file (and the line, for a parse error).</summary>
    /// <exception cref="AccessMapError">The text is not a valid access map.</exception>
    /// <exception cref="IOException">The file is missing, unreadable or unsafe.</exception>
    public static Loaded Load(string path, IReadOnlySet<string> dontBlame)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        if (FileSafety.Check(path, isKey: false, dontBlame) is { } unsafeReason)
        {
            throw new IOException($"file {path} unsafe: {unsafeReason}");
        }

        var target = Target(info);
        var stamp = Stamp.Of(target);
        var text = File.ReadAllText(path);
        return new Loaded(AccessMap.Parse(text, path), text, stamp);
    }

    /// <summary>The file's current stamp, or null when it cannot be seen.</summary>
    public static Stamp? Current(string path)
    {
        try
        {
            var info = Target(new FileInfo(path));
            return info.Exists ? Stamp.Of(info) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A link loop or an unreadable link: the watcher reports it as it reports a missing file.
            return null;
        }
    }

    /// <summary>
    /// The file a symlink finally names. FileInfo describes the link itself, whose time and size never change when
    /// its target is edited or, as in a Kubernetes ConfigMap volume (access -> ..data/access), when a directory link
    /// on the way is switched; only the target's stamp shows the edit.
    /// </summary>
    private static FileInfo Target(FileInfo info) =>
        info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
}
