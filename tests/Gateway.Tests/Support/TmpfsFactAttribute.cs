using System.Diagnostics;

namespace Gateway.Tests.Support;

/// <summary>
/// A fact that needs a small tmpfs of its own (a disk that can really fill up): skipped, with the reason, where this
/// process may not mount one (not root, or a container without CAP_SYS_ADMIN). Probed once by mounting one.
/// </summary>
internal sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public TmpfsFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB on <paramref name="directory"/>; null when done, else why not.</summary>
    public static string? Mount(string directory, int megabytes) =>
        Run("/bin/mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", directory);

    public static string? Unmount(string directory) => Run("/bin/umount", directory);

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/bin/mount"))
        {
            return "needs Linux's mount(8)";
        }

        var directory = Directory.CreateTempSubdirectory("gateway-tmpfs-probe-").FullName;
        try
        {
            if (Mount(directory, 1) is { } failed)
            {
                return $"cannot mount a tmpfs here (root with CAP_SYS_ADMIN is needed): {failed}";
            }

            return Unmount(directory);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    private static string? Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"{program} exited {process.ExitCode}: {error.Trim()}";
    }
}
