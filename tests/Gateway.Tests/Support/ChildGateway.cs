using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;

namespace Gateway.Tests.Support;

/// <summary>
/// The real <c>gateway</c> executable as a child process (the gateway.dll built next to the tests),
/// so that it can be killed with SIGKILL mid-flight, which an in-process node cannot be.
/// </summary>
internal sealed class ChildGateway : IDisposable
{
    private const string ListeningPrefix = "gateway: listening on ";
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ChildGateway(Process process, IPEndPoint smtp)
    {
        _process = process;
        Smtp = smtp;
    }

    public IPEndPoint Smtp { get; }

    /// <summary>What the process wrote to standard output so far (the whole of it once it has exited).</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public static Task<ChildGateway> StartAsync(params string[] switches) => StartAsync(new Dictionary<string, string>(), switches);

    /// <param name="environment">Variables set for the child besides this process's (a test hook such as TEST_GATEWAY_CRASH_POINT).</param>
    public static async Task<ChildGateway> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] switches)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gateway.dll"));
        info.ArgumentList.Add("run");

        // Tests never depend on the machine's DNS.
        info.ArgumentList.Add("--Dns:ReverseLookup=false");

        // No fixed HTTP port (9025) for processes running side by side; a switch given below wins.
        info.ArgumentList.Add("--Http:Listen=");
        foreach (var s in switches)
        {
            info.ArgumentList.Add(s);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the gateway process");
        var output = new List<string>();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                output.Add(line);
                if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
                {
                    var endpoint = IPEndPoint.Parse(line[ListeningPrefix.Length..].Split(' ')[0]);
                    var child = new ChildGateway(process, endpoint);
                    child._output.AddRange(output);
                    _ = child.DrainAsync();
                    return child;
                }
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        throw new InvalidOperationException(
            $"the gateway did not start (exit {process.ExitCode}):\n{string.Join('\n', output)}\n{await stderr}");
    }

    /// <summary>SIGKILL: no shutdown hook, no flush; what the spool synced is all that survives.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM: the host's console lifetime stops the node cleanly.</summary>
    public async Task StopAsync()
    {
        if (NativeMethods.Kill(_process.Id, NativeMethods.SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>Waits for the process to end by itself (after <c>gateway drain</c>); its exit code.</summary>
    public async Task<int> ExitedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    // Keep reading stdout so a chatty child never blocks on a full pipe.
    private async Task DrainAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}

/// <summary>kill(2): .NET can send SIGKILL (Process.Kill) but not SIGTERM.</summary>
internal static partial class NativeMethods
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
