using System.Runtime.InteropServices;

namespace Gateway.Tls;

/// <summary>
/// The facts .NET has no API for: our effective uid, a file's owner (SPEC R34's owner check), and a file's inode and
/// status-change time (what tells a watcher that a file was replaced or had its mode changed).
/// </summary>
internal static partial class NativeMethods
{
    public static uint Geteuid() => geteuid();

    /// <summary>stat(2)'s st_uid; the offset in struct stat differs between glibc x86-64 and arm64.</summary>
    public static unsafe int Stat(string path, out uint owner)
    {
        var offset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 28,
            Architecture.Arm64 => 24,
            _ => -1,
        };
        owner = uint.MaxValue;
        if (offset < 0)
        {
            return -1;
        }

        var buffer = stackalloc byte[256];
        var result = stat(path, buffer);
        if (result == 0)
        {
            owner = *(uint*)(buffer + offset);
        }

        return result;
    }

    /// <summary>
    /// stat(2)'s st_ino and st_ctim (seconds and nanoseconds) of the file a path finally names (links followed).
    /// Offsets of glibc's struct stat: st_ino at 8 and st_ctim at 104 on both x86-64 and arm64 (asm-generic layout:
    /// st_blocks 64, st_atim 72, st_mtim 88, st_ctim 104).
    /// </summary>
    public static unsafe bool Identity(string path, out ulong inode, out long changedSeconds, out long changedNanoseconds)
    {
        var ctime = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 104,
            Architecture.Arm64 => 104,
            _ => -1,
        };
        (inode, changedSeconds, changedNanoseconds) = (0, 0, 0);
        var buffer = stackalloc byte[256];
        if (ctime < 0 || stat(path, buffer) != 0)
        {
            return false;
        }

        inode = *(ulong*)(buffer + 8);
        changedSeconds = *(long*)(buffer + ctime);
        changedNanoseconds = *(long*)(buffer + ctime + 8);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, byte* buffer);
}
