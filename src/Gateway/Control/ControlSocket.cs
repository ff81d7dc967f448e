using System.Net.Sockets;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

namespace Gateway.Control;

/// <summary>
/// The node's local control socket, <c>&lt;Queue:Directory&gt;/control.sock</c>, that <c>gateway queue</c> talks to:
/// a Unix domain socket of mode 0600, so only the node's own user (and root) may list or change the queue, as only
/// the mail system's user may run Postfix's postsuper. One JSON request line in, one JSON answer line out, as many
/// as the client sends; a line over <see cref="MaxLine"/> bytes is dropped to its end and answered with an error.
/// Trust: the caller is the node's user, but its bytes are still input: nothing it sends can stop the node.
/// Not here: what a request means (<see cref="ControlHandler"/>); the cluster (this is one node's queue).
/// </summary>
internal sealed class ControlSocket : IAsyncDisposable
{
    public const string FileName = "control.sock";

    /// <summary>Longest request line, LF included. A request is a few dozen bytes; this only bounds a runaway client.</summary>
    public const int MaxLine = 64 * 1024;

    /// <summary>How long the socket waits for the queue's answer; a client waits longer (<see cref="ControlClient"/>).</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Control connections at once; more are answered <see cref="ControlAnswer.Busy"/>.</summary>
    private const int MaxConnections = 16;

    /// <summary>How long a connection may stay silent, or leave an answer unread, before it is closed.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(60);

    private readonly Socket _listener;
    private readonly ControlHandler _handler;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<Task> _connections = [];
    private readonly Task _accepting;

    private ControlSocket(string path, Socket listener, ControlHandler handler, ILogger log)
    {
        Path = path;
        _listener = listener;
        _handler = handler;
        _log = log;
        _accepting = AcceptAsync();
    }

    /// <summary>The socket's full path.</summary>
    public string Path { get; }

    public static string PathIn(string queueDirectory) => System.IO.Path.Combine(System.IO.Path.GetFullPath(queueDirectory), FileName);

    /// <summary>
    /// Binds the socket in the spool directory, replacing a stale one. Only one node can have the spool open (RocksDB
    /// locks it), so a socket file already there was left by a node that is gone.
    /// </summary>
    /// <exception cref="IOException">The socket cannot be made (a path too long for a Unix socket, a directory in the way).</exception>
    [UnsupportedOSPlatform("windows")]
    public static ControlSocket Open(string queueDirectory, ControlHandler handler, ILogger log)
    {
        var path = PathIn(queueDirectory);
        UnixDomainSocketEndPoint endpoint;
        try
        {
            endpoint = new UnixDomainSocketEndPoint(path);
        }
        catch (ArgumentException e)
        {
            throw new IOException($"{path}: {e.Message} (a Unix socket path has at most 107 bytes; choose a shorter Queue:Directory)", e);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            File.Delete(path);
            listener.Bind(endpoint);

            // Between bind and listen a connect is refused (ECONNREFUSED), so the mode is 0600 before anyone can connect.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(MaxConnections);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            listener.Dispose();
            throw new IOException($"{path}: {e.Message}", e);
        }

        return new ControlSocket(path, listener, handler, log);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (!_stop.IsCancellationRequested)
            {
                // EMFILE and its kin: a later accept may succeed, and the node itself is not at stake. A pause, so a
                // lasting failure does not spin.
                _log.LogWarning("control socket {Path}: accept failed: {Reason}", Path, e.Message);
                await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(1), _stop.Token)).ConfigureAwait(false);
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            lock (_connections)
            {
                var task = ServeAsync(connection, busy: _connections.Count >= MaxConnections);
                _connections.Add(task);
                _ = task.ContinueWith(t => { lock (_connections) { _connections.Remove(t); } }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One connection: answers each line in turn until the client closes or goes silent, or the node stops.</summary>
    private async Task ServeAsync(Socket connection, bool busy)
    {
        await Task.Yield();
        using var socket = connection;
        try
        {
            if (busy)
            {
                await SendAsync(socket, ControlAnswer.Refused(ControlAnswer.Busy, $"more than {MaxConnections} control connections at once"), _stop.Token).ConfigureAwait(false);
                return;
            }

            var buffer = new byte[MaxLine];
            var filled = 0;
            var discarding = false;
            while (true)
            {
                var end = Array.IndexOf(buffer, (byte)'\n', 0, filled);
                if (end >= 0)
                {
                    var answer = discarding
                        ? TooLong
                        : await _handler.AnswerAsync(buffer.AsMemory(0, end), _stop.Token).ConfigureAwait(false);
                    await SendAsync(socket, answer, _stop.Token).ConfigureAwait(false);
                    discarding = false;
                    filled -= end + 1;
                    Buffer.BlockCopy(buffer, end + 1, buffer, 0, filled);
                    continue;
                }

                if (filled == buffer.Length)
                {
                    // No LF within MaxLine bytes: drop what came and keep dropping to the next LF, then answer, so the
                    // connection keeps its place in the dialogue (chasquid's drain; STYLE, errors table).
                    discarding = true;
                    filled = 0;
                }

                using var silence = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                silence.CancelAfter(Idle);
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, silence.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    // A last line without LF (printf '{"op":"list"}' | nc -U) is still a request.
                    if (discarding || filled > 0)
                    {
                        var answer = discarding ? TooLong : await _handler.AnswerAsync(buffer.AsMemory(0, filled), _stop.Token).ConfigureAwait(false);
                        await SendAsync(socket, answer, _stop.Token).ConfigureAwait(false);
                    }

                    return;
                }

                filled += read;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, went silent, or the node is stopping: nothing to answer.
        }
        catch (Exception e)
        {
            // A bug here must cost one control connection, never the node.
            _log.LogError(e, "control socket {Path}: a request failed", Path);
        }
    }

    private static ControlAnswer TooLong => ControlAnswer.Refused(ControlAnswer.TooLong, $"request line longer than {MaxLine} bytes");

    /// <summary>Writes one answer line; a client that stops reading is given <see cref="Idle"/>, as one that stops writing.</summary>
    private static async Task SendAsync(Socket socket, ControlAnswer answer, CancellationToken cancel)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        silence.CancelAfter(Idle);
        var line = ControlCodec.Line(answer);
        for (var sent = 0; sent < line.Length;)
        {
            sent += await socket.SendAsync(line.AsMemory(sent), SocketFlags.None, silence.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        try
        {
            // The next start would remove it anyway; gone now, `gateway queue` says "not running" rather than "refused".
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("control socket {Path}: not removed: {Reason}", Path, e.Message);
        }

        _stop.Dispose();
    }
}
