using System.Runtime.Versioning;

namespace Gateway.Tls;

/// <summary>
/// SPEC R34 / R88: the checks sendmail makes before it loads a certificate, key, CA or CRL file.
/// Keys are stored unencrypted, so their permissions are their only protection. A failure names
/// the file and sendmail's reason ("Group readable file", …). Deliberate departures: a directory
/// that is world-writable but sticky and owned by root (/tmp) is accepted, because the sticky bit
/// stops others from renaming or replacing our entries, which is the attack the check is about.
/// </summary>
internal static class FileSafety
{
    /// <summary>Null when the file is safe to load, else sendmail's reason.</summary>
    public static string? Check(string path, bool isKey, IReadOnlySet<string> dontBlame)
    {
        return OperatingSystem.IsWindows() ? null : CheckUnix(path, isKey, dontBlame);
    }

    [UnsupportedOSPlatform("windows")]
    private static string? CheckUnix(string path, bool isKey, IReadOnlySet<string> dontBlame)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            return "No such file";
        }

        if (DirectoryProblem(Path.GetDirectoryName(full)!) is { } directory)
        {
            return directory;
        }

        if (info.LinkTarget is not null)
        {
            // A symlink is allowed only inside a directory others cannot write (checked above);
            // its target must pass the same checks.
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? "Symbolic links not allowed" : CheckUnix(target.FullName, isKey, dontBlame);
        }

        if ((info.Attributes & FileAttributes.Directory) != 0 || info.Attributes.HasFlag(FileAttributes.Device))
        {
            return "Regular files only";
        }

        var mode = File.GetUnixFileMode(full);
        if (mode.HasFlag(UnixFileMode.OtherWrite))
        {
            return "World writable file";
        }

        if (mode.HasFlag(UnixFileMode.GroupWrite))
        {
            return "Group writable file";
        }

        var owner = Owner(full);
        var me = NativeMethods.Geteuid();
        if (owner != me && owner != 0 && !dontBlame.Contains("CertOwner"))
        {
            return "Permission denied";
        }

        if (isKey)
        {
            if (mode.HasFlag(UnixFileMode.OtherRead))
            {
                return "World readable file";
            }

            if (mode.HasFlag(UnixFileMode.GroupRead) && !dontBlame.Contains("GroupReadableKeyFile"))
            {
                return "Group readable file";
            }
        }

        return Readable(full) ? null : "Permission denied";
    }

    [UnsupportedOSPlatform("windows")]
    private static string? DirectoryProblem(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var mode = File.GetUnixFileMode(dir.FullName);
            var sticky = mode.HasFlag(UnixFileMode.StickyBit) && Owner(dir.FullName) == 0;
            if (mode.HasFlag(UnixFileMode.OtherWrite) && !sticky)
            {
                return "World writable directory";
            }

            if (mode.HasFlag(UnixFileMode.GroupWrite) && !sticky)
            {
                return "Group writable directory";
            }
        }

        return null;
    }

    private static bool Readable(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static uint Owner(string path) =>
        NativeMethods.Stat(path, out var owner) == 0 ? owner : uint.MaxValue;
}
