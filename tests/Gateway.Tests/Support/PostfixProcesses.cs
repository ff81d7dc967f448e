using System.Globalization;
using System.Runtime.InteropServices;

namespace Gateway.Tests.Support;

/// <summary>
/// Stops one Postfix instance and waits until all its processes are gone. master is a session leader
/// (setsid), so its daemons share its process group; on SIGTERM it signals that group and exits without
/// waiting, which is what "postfix abort" does too.
/// </summary>
internal static class PostfixProcesses
{
    private const int Esrch = 3;

    public static async Task StopAsync(int masterPid)
    {
        if (NativeMethods.Kill(masterPid, NativeMethods.SigTerm) != 0 && Marshal.GetLastPInvokeError() != Esrch)
        {
            throw new InvalidOperationException($"kill({masterPid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        await Eventually.UntilAsync(
            () => InGroup(masterPid),
            pids => pids.Count == 0,
            $"every process of Postfix's group {masterPid} exited",
            TimeSpan.FromSeconds(20),
            pids => string.Join(' ', pids)).ConfigureAwait(false);
    }

    /// <summary>
    /// The master process started with <paramref name="configDirectory"/> ("postfix -c" passes it on as
    /// MAIL_CONFIG in the environment), or null. master.pid cannot be read instead: master holds a lock on
    /// it that .NET's FileStream honours.
    /// </summary>
    public static int? FindMaster(string configDirectory)
    {
        var wanted = $"MAIL_CONFIG={configDirectory}";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid)
                    && File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd() == "master"
                    && File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(wanted))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited while being looked at.
            }
        }

        return null;
    }

    /// <summary>The live processes whose process group is <paramref name="group"/> (field 5 of /proc/PID/stat).</summary>
    public static List<int> InGroup(int group)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // A zombie has exited; whether anyone reaps it (PID 1 in a container may not) is not Postfix's doing.
            if (fields.Length > 2 && fields[0] != "Z" && int.Parse(fields[2], CultureInfo.InvariantCulture) == group)
            {
                found.Add(pid);
            }
        }

        return found;
    }
}
