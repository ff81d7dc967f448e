using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Support;

/// <summary>
/// A private Postfix instance as a real next hop: its own config, queue, data directory and log file in a
/// fresh temporary directory, smtpd on a free loopback port (STARTTLS optional), relaying every domain to its
/// own <see cref="SmtpSink"/>. Several may run at once. Needs the Debian postfix package and root, as
/// Postfix's master does (.ci/run installs it).
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class PostfixPeer : IAsyncDisposable
{
    private const string PostfixBinary = "/usr/sbin/postfix";

    private PostfixPeer(string root, int port, SmtpSink sink, int masterPid)
    {
        Root = root;
        Port = port;
        Sink = sink;
        MasterPid = masterPid;
    }

    /// <summary>Why Postfix cannot run here, or null when it can.</summary>
    public static string? Unavailable =>
        !File.Exists(PostfixBinary) || !File.Exists(SmtpSink.SinkBinary) ? "Postfix is not installed (apt-get install postfix; .ci/run does)"
        : !Environment.IsPrivilegedProcess ? "Postfix's master must be started as root"
        : null;

    /// <summary>The instance's directory: etc/ (main.cf, master.cf), queue/, data/, tls/, sink/ and maillog.</summary>
    public string Root { get; }

    /// <summary>smtpd's port on 127.0.0.1.</summary>
    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The final hop Postfix relays everything to.</summary>
    public SmtpSink Sink { get; }

    public int MasterPid { get; }

    private string LogFile => Path.Combine(Root, "maillog");

    public static async Task<PostfixPeer> StartAsync(PostfixPeerOptions? options = null)
    {
        options ??= new PostfixPeerOptions();
        if (Unavailable is { } reason)
        {
            throw new InvalidOperationException($"cannot start a Postfix peer: {reason}");
        }

        // Postfix's daemons run as the postfix user and must reach the queue below this directory.
        var root = Directory.CreateTempSubdirectory("postfix-peer-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        SmtpSink? sink = null;
        try
        {
            sink = await SmtpSink.StartAsync(Path.Combine(root, "sink")).ConfigureAwait(false);
            var tls = CopyTlsFiles(root, options);
            var port = FreePort.Next();
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            await File.WriteAllTextAsync(Path.Combine(root, "etc", "main.cf"), PostfixConfig.MainCf(root, sink.Port, options, tls)).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(root, "etc", "master.cf"), PostfixConfig.MasterCf(port)).ConfigureAwait(false);

            // Postfix will not read a main.cf modified within the last second (it may be half written) and polls
            // every 300 ms until it is older; these were written whole, so say so.
            foreach (var cf in Directory.GetFiles(Path.Combine(root, "etc")))
            {
                File.SetLastWriteTimeUtc(cf, DateTime.UtcNow.AddMinutes(-1));
            }

            // With the directories made as Postfix's table says, quick-start skips the integrity check (a second
            // or more of shell) that "postfix start" would otherwise run.
            PostfixDirectories.Create(Path.Combine(root, "queue"), Path.Combine(root, "data"));
            await File.WriteAllBytesAsync(Path.Combine(root, "queue", "quick-start"), []).ConfigureAwait(false);

            // "master -w" underneath returns once master has bound smtpd's port and started, or failed.
            await RunPostfixAsync(root, "start").ConfigureAwait(false);
            var pid = PostfixProcesses.FindMaster(Path.Combine(root, "etc")) ?? throw new InvalidOperationException($"postfix started but no master runs with {root}/etc");
            return new PostfixPeer(root, port, sink, pid);
        }
        catch
        {
            if (PostfixProcesses.FindMaster(Path.Combine(root, "etc")) is { } master)
            {
                await PostfixProcesses.StopAsync(master).ConfigureAwait(false);
            }

            if (sink is not null)
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }

            await DeleteAsync(root).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The log so far, as postlogd wrote it (one "Mon dd hh:mm:ss host postfix/daemon[pid]: text" line per event).</summary>
    public string LogText()
    {
        if (!File.Exists(LogFile))
        {
            return "";
        }

        using var log = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(log);
        return reader.ReadToEnd();
    }

    /// <summary>Waits until a log line matches; postlogd writes asynchronously, after the event it logs.</summary>
    public Task<Match> WaitForLogAsync(Regex pattern, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => pattern.Match(LogText()), m => m.Success, $"a Postfix log line matching {pattern}", timeout, _ => LogText());

    /// <summary>Waits until the sink has at least <paramref name="count"/> complete messages; returns all of them.</summary>
    public Task<IReadOnlyList<SinkMessage>> WaitForMessagesAsync(int count, TimeSpan? timeout = null) =>
        Sink.WaitForMessagesAsync(count, timeout);

    public async ValueTask DisposeAsync()
    {
        await PostfixProcesses.StopAsync(MasterPid).ConfigureAwait(false);
        await Sink.DisposeAsync().ConfigureAwait(false);
        await DeleteAsync(Root).ConfigureAwait(false);
    }

    private static bool CopyTlsFiles(string root, PostfixPeerOptions options)
    {
        if (options.ServerCertFile is null)
        {
            return false;
        }

        var tls = Directory.CreateDirectory(Path.Combine(root, "tls")).FullName;
        File.Copy(options.ServerCertFile, Path.Combine(tls, "server.crt"));
        File.Copy(options.ServerKeyFile ?? throw new ArgumentException("ServerKeyFile is needed with ServerCertFile", nameof(options)), Path.Combine(tls, "server.key"));
        File.SetUnixFileMode(Path.Combine(tls, "server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (options.CaFile is not null)
        {
            File.Copy(options.CaFile, Path.Combine(tls, "ca.crt"));
        }

        return true;
    }

    private static async Task RunPostfixAsync(string root, params string[] command)
    {
        var info = new ProcessStartInfo(PostfixBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(root, "etc"));
        foreach (var a in command)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot run postfix");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Eventually.DefaultTimeout);
        await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(root, "maillog");
            throw new InvalidOperationException(
                $"postfix {string.Join(' ', command)} failed (exit {process.ExitCode}):\n{await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}\n" +
                (File.Exists(log) ? await File.ReadAllTextAsync(log).ConfigureAwait(false) : ""));
        }
    }

    // The daemons may still be closing files when master is gone; deleting under them can race.
    private static Task DeleteAsync(string root) =>
        Eventually.UntilAsync(
            () =>
            {
                try
                {
                    if (Directory.Exists(root))
                    {
                        Directory.Delete(root, recursive: true);
                    }

                    return (Exception?)null;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return e;
                }
            },
            e => e is null,
            $"{root} deleted",
            TimeSpan.FromSeconds(10));
}
