using System.Runtime.InteropServices;

namespace Gateway.Tls;

/// <summary>
/// The two facts .NET has no API for: our effective uid and a file's owner (SPEC R34's owner check).
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

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, byte* buffer);
}
