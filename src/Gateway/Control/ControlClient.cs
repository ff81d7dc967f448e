using System.Net.Sockets;

namespace Gateway.Control;

/// <summary>
/// The client end of the control socket: connect, send one request line, read one answer line. Used by
/// <c>gateway queue</c>; the node is trusted here (its socket sits in its own spool directory), so the answer is read
/// whole, however long the listing.
/// </summary>
internal static class ControlClient
{
    /// <summary>Longer than the node's own wait for its queue (<see cref="ControlSocket.AskTimeout"/>), so the node's timeout answer arrives first.</summary>
    public static readonly TimeSpan Timeout = ControlSocket.AskTimeout + TimeSpan.FromSeconds(15);

    /// <exception cref="SocketException">No socket there, nobody listening (a stale socket), or not the node's user (AccessDenied).</exception>
    /// <exception cref="IOException">The node closed the connection without an answer, or answered something that is not one.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="Timeout"/>.</exception>
    public static async Task<ControlAnswer> ExchangeAsync(string path, ControlRequest request, CancellationToken cancel = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(Timeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), deadline.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(ControlCodec.Line(request), deadline.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, leaveOpen: true);
            var line = await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false)
                ?? throw new IOException("the node closed the connection without an answer");
            return ControlCodec.Answer(System.Text.Encoding.UTF8.GetBytes(line))
                ?? throw new IOException("the node's answer is not a control answer (a gateway of another version?)");
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {Timeout.TotalSeconds:0} s");
        }
    }
}
