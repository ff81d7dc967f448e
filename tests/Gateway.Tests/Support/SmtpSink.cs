using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

namespace Gateway.Tests.Support;

/// <summary>
/// Postfix's <c>smtp-sink</c> on a free loopback port, as a final hop that accepts everything and keeps each
/// mail transaction in its own file (<c>-d</c>). Completion is known from its running counter (<c>-c</c>):
/// the sink closes a transaction's file before it counts it and before it answers the final dot.
/// A transaction that reached its final dot is dumped and counted even when a switch made the sink refuse it.
/// Not here: TLS (smtp-sink has none).
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class SmtpSink : IAsyncDisposable
{
    public const string SinkBinary = "/usr/sbin/smtp-sink";

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private int _delivered;
    private readonly bool _ownsDirectory;
    private Task? _errors;

    private SmtpSink(Process process, string directory, bool ownsDirectory, int port)
    {
        _process = process;
        _ownsDirectory = ownsDirectory;
        Directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Where the dump files land (one per completed mail transaction).</summary>
    public string Directory { get; }

    /// <summary>Mail transactions completed so far (the sink's own "mesg=" counter).</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>
    /// Starts the sink with its dump files in <paramref name="directory"/> (created; without one, a temporary
    /// directory that disposing deletes). <paramref name="switches"/> go to smtp-sink as they are, e.g.
    /// <c>["-r", "RCPT"]</c> to answer every RCPT 450, <c>["-f", "."]</c> to refuse every message 500 after DATA.
    /// </summary>
    public static async Task<SmtpSink> StartAsync(string? directory = null, IReadOnlyList<string>? switches = null, string hostname = "sink.test")
    {
        var owned = directory is null;
        directory ??= System.IO.Directory.CreateTempSubdirectory("smtp-sink-").FullName;
        System.IO.Directory.CreateDirectory(directory);

        // smtp-sink refuses to keep root privileges and must be given a user (-u); that user writes the dumps.
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        var port = FreePort.Next();
        var info = new ProcessStartInfo(SinkBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-u", "nobody", "-c", "-h", hostname, "-d", Path.Combine(directory, "m."), .. switches ?? [], $"127.0.0.1:{port}", "256"])
        {
            info.ArgumentList.Add(a);
        }

        var sink = new SmtpSink(Process.Start(info) ?? throw new InvalidOperationException("cannot start smtp-sink"), directory, owned, port);
        _ = sink.ReadCounterAsync();
        sink._errors = sink.ReadErrorsAsync();
        try
        {
            await sink.WaitUntilListeningAsync().ConfigureAwait(false);
            return sink;
        }
        catch
        {
            await sink.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> transactions are complete and every dump file is complete,
    /// then returns them all in the order they were finished.
    /// </summary>
    public async Task<IReadOnlyList<SinkMessage>> WaitForMessagesAsync(int count, TimeSpan? timeout = null) =>
        (await Eventually.UntilAsync(
            () => CompleteMessages(count),
            messages => messages is not null,
            $"{count} message(s) complete in smtp-sink on port {Port}",
            timeout,
            _ => $"{Delivered} complete, {DumpFiles().Length} file(s)").ConfigureAwait(false))!;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        if (_ownsDirectory)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private List<SinkMessage>? CompleteMessages(int count)
    {
        // Counter first, files second: a file is created at MAIL and counted after its final dot, so when
        // the files are no more than the count read before them, none of them is still being written.
        var complete = Delivered;
        var files = DumpFiles();
        if (complete < count || files.Length > complete)
        {
            return null;
        }

        return [.. files.OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => SinkMessage.Parse(File.ReadAllText(f.FullName)))];
    }

    private FileInfo[] DumpFiles() => new DirectoryInfo(Directory).GetFiles("m.*");

    private async Task WaitUntilListeningAsync()
    {
        var clock = Stopwatch.StartNew();
        while (!_process.HasExited && clock.Elapsed < Eventually.DefaultTimeout)
        {
            if (await AcceptsAsync(Port).ConfigureAwait(false) && !_process.HasExited)
            {
                return;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        var exit = "still running";
        if (_process.HasExited)
        {
            exit = $"exit {_process.ExitCode}";
            await (_errors ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"smtp-sink did not listen on 127.0.0.1:{Port} ({exit}): {_stderr}");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // The counter line is "sess=N quit=N mesg=N" ended by a bare CR, so read characters, not lines.
    private async Task ReadCounterAsync()
    {
        var buffer = new char[256];
        var record = new StringBuilder();
        int read;
        while ((read = await _process.StandardOutput.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            foreach (var c in buffer.AsSpan(0, read))
            {
                if (c is not ('\r' or '\n'))
                {
                    record.Append(c);
                    continue;
                }

                var text = record.ToString();
                var at = text.LastIndexOf("mesg=", StringComparison.Ordinal);
                if (at >= 0 && int.TryParse(text.AsSpan(at + 5), out var mesg))
                {
                    Volatile.Write(ref _delivered, mesg);
                }

                record.Clear();
            }
        }
    }

    private async Task ReadErrorsAsync()
    {
        while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }
}
