using System.Net.Sockets;

namespace Gateway.Tests.Support;

/// <summary>
/// A one-connection EGD daemon on a Unix socket: accepts, reads the 2-byte request (kept for the test), then
/// runs the scenario's reply and closes.
/// </summary>
internal sealed class EgdDaemon : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly TaskCompletionSource<byte[]> _request = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;

    private EgdDaemon(string path, Func<Socket, Task> reply)
    {
        Path = path;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(1);
        _serving = ServeAsync(reply);
    }

    public string Path { get; }

    public Task<byte[]> Request => _request.Task;

    public static EgdDaemon Start(string path, Func<Socket, Task> reply) => new(path, reply);

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not accepted (socket-missing or the test ended first).
        }

        _request.TrySetCanceled();
    }

    private async Task ServeAsync(Func<Socket, Task> reply)
    {
        using var connection = await _listener.AcceptAsync();
        var request = new byte[2];
        var read = 0;
        while (read < request.Length)
        {
            var n = await connection.ReceiveAsync(request.AsMemory(read));
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        _request.TrySetResult(request[..read]);
        await reply(connection);
    }
}
