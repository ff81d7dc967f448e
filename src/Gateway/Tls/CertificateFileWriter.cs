using System.Text;

namespace Gateway.Tls;

/// <summary>
/// Writes certificate and key files with their final mode set before any byte is written, then renames
/// them into place, so a key is never readable by others, not even for a moment (SPEC R34, R88).
/// </summary>
internal static class CertificateFileWriter
{
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static void WritePrivate(string path, string pem, bool overwrite) => Write(path, pem, PrivateMode, overwrite);

    public static void WritePublic(string path, string pem, bool overwrite) => Write(path, pem, PublicMode, overwrite);

    private static void Write(string path, string text, UnixFileMode mode, bool overwrite)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("key files are protected by Unix file modes");
        }

        var full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
        {
            throw new IOException($"{full} already exists");
        }

        // A fresh temporary name in the same directory: writing into an existing file would keep that
        // file's (possibly world-readable) mode, and the rename below is atomic only within one file system.
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode };
            using (var stream = new FileStream(temporary, options))
            {
                // The umask may have taken bits away from UnixCreateMode; set the exact mode while the file is still empty.
                File.SetUnixFileMode(stream.SafeFileHandle, mode);
                stream.Write(Encoding.ASCII.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            // File.Move without overwrite links the new name and fails if it exists, so a concurrent
            // writer's key is never replaced behind its back.
            File.Move(temporary, full, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
