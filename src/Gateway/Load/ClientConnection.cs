using System.Net;
using System.Net.Sockets;
using Akka.Actor;

namespace Gateway.Load;

/// <summary>
/// One outbound TCP connection of a <see cref="LoadClient"/>: a plain .NET socket whose asynchronous
/// operations report back to the owning actor as messages (<see cref="Event"/>s stamped with the
/// connection's number, so a late event of an earlier connection is recognised and dropped). No thread
/// waits on it. Reads are pulled, one at a time, as the actor asks for them: a server that floods the
/// client cannot fill its mailbox. One write is in flight at a time; most complete at once, without a message.
/// </summary>
/// <remarks>
/// Not Akka.IO: an Akka.IO outgoing connection is an extra actor per connection, built per connect, and two
/// more mailbox hops per read and write. Profiled in this tool, the actor set-up alone (compiled receive
/// handlers, then their finalization) was the largest managed cost after TLS.
/// </remarks>
internal sealed class ClientConnection(int number, IActorRef owner, AddressFamily family) : IDisposable
{
    private readonly Socket _socket = new(family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly byte[] _buffer = new byte[16 * 1024];
    private bool _disposed;

    public int Number => number;

    /// <summary>Binds <paramref name="source"/> (port 0) if given, then connects; reports <see cref="Connected"/> or <see cref="Failed"/>.</summary>
    public void Connect(EndPoint target, IPEndPoint? source)
    {
        try
        {
            if (source is not null)
            {
                _socket.Bind(source);
            }

            _socket.ConnectAsync(target).ContinueWith(
                (t, state) => ((IActorRef)state!).Tell(t.IsCompletedSuccessfully
                    ? new Connected(number)
                    : new Failed(number, Reason(t.Exception?.InnerException))),
                owner,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        catch (SocketException e)
        {
            owner.Tell(new Failed(number, e.Message));
        }
    }

    /// <summary>Asks for the next chunk: <see cref="Received"/>, or <see cref="Closed"/> at the end of the stream.</summary>
    public void Read()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            var pending = _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None);
            if (pending.IsCompletedSuccessfully)
            {
                Deliver(pending.Result);
            }
            else
            {
                pending.AsTask().ContinueWith(
                    (t, state) => ((ClientConnection)state!).Completed(t),
                    this,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            owner.Tell(new Closed(number, Reason(e)));
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/>: true when done at once, else <see cref="Sent"/> follows (or <see cref="Failed"/>).</summary>
    public bool Write(byte[] bytes)
    {
        try
        {
            var pending = _socket.SendAsync(bytes.AsMemory(), SocketFlags.None);
            if (pending.IsCompletedSuccessfully)
            {
                return true;
            }

            pending.AsTask().ContinueWith(
                (t, state) => ((IActorRef)state!).Tell(t.IsCompletedSuccessfully ? new Sent(number) : new Failed(number, Reason(t.Exception?.InnerException))),
                owner,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return false;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            owner.Tell(new Failed(number, Reason(e)));
            return false;
        }
    }

    /// <summary>Resets the connection (RST): for a session given up, so no TIME_WAIT is left behind either.</summary>
    public void Abort()
    {
        if (!_disposed)
        {
            try
            {
                _socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
                // Already reset by the peer: closing is all that is left.
            }
        }

        Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
    }

    private void Completed(Task<int> read)
    {
        if (read.IsCompletedSuccessfully)
        {
            Deliver(read.Result);
        }
        else
        {
            owner.Tell(new Closed(number, Reason(read.Exception?.InnerException)));
        }
    }

    private void Deliver(int count) =>
        owner.Tell(count == 0 ? new Closed(number, null) : new Received(number, _buffer.AsSpan(0, count).ToArray()));

    private static string Reason(Exception? e) => e switch
    {
        SocketException s => s.Message,
        ObjectDisposedException => "connection closed locally",
        null => "cancelled",
        _ => e.Message,
    };

    /// <summary>Everything a connection reports carries its number.</summary>
    public abstract record Event(int Connection);

    public sealed record Connected(int Connection) : Event(Connection);

    /// <summary>Connecting or writing failed.</summary>
    public sealed record Failed(int Connection, string Reason) : Event(Connection);

    public sealed record Received(int Connection, byte[] Data) : Event(Connection);

    public sealed record Sent(int Connection) : Event(Connection);

    /// <summary>The stream ended: <paramref name="Error"/> null when the server closed it (FIN), else why reading failed.</summary>
    public sealed record Closed(int Connection, string? Error) : Event(Connection);
}
