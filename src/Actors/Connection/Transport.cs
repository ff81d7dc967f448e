using System.Buffers;
using Akka.Actor;
using Akka.IO;

namespace Gateway.Actors.Connection;

/// <summary>
/// The one seam between a session and its socket (Akka.IO today), both ways: out, send bytes, ask for the next
/// chunk, close; in, the socket's events in the session's own terms (<see cref="Inbound"/>). Writes are
/// acknowledged, and the next chunk is requested only once every write is acknowledged, so a client that sends
/// without reading cannot make us buffer replies without end. A Pipelines front end or Akka 1.6's TLS would
/// replace this class, not the session.
/// </summary>
internal sealed class Transport(IActorRef connection, IActorRef self)
{
    /// <summary>The ack event of every write; the owner hands it back through <see cref="Acked"/>.</summary>
    public sealed class Acknowledged : Tcp.Event
    {
        public static readonly Acknowledged Instance = new();
    }

    /// <summary>Bytes from the client.</summary>
    public sealed record Received(ByteString Data);

    /// <summary>The connection is closed, by either side (after our Close, this is its completion).</summary>
    public sealed class Closed
    {
        public static readonly Closed Instance = new();
    }

    /// <summary>A socket command (write, read, close) could not be carried out.</summary>
    public sealed record Failed(string Command);

    private int _unacked;
    private bool _readWanted;
    private bool _closed;

    /// <summary>
    /// Akka.IO's events as the session sees them: <see cref="Received"/>, <see cref="Closed"/>, <see cref="Failed"/>;
    /// the acks of our writes are counted here and go no further (null). Any other message passes unchanged.
    /// </summary>
    public object? Inbound(object message)
    {
        switch (message)
        {
            case Acknowledged:
                Acked();
                return null;
            case Tcp.Received r:
                return new Received(r.Data);
            case Tcp.ConnectionClosed:
                return Closed.Instance;
            case Tcp.CommandFailed f:
                return new Failed(f.Cmd.ToString() ?? "unknown");
            default:
                return message;
        }
    }

    /// <summary>Sends what <paramref name="output"/> holds, if anything, and clears it.</summary>
    public void Send(ArrayBufferWriter<byte> output)
    {
        if (output.WrittenCount == 0)
        {
            return;
        }

        _unacked++;
        connection.Tell(Tcp.Write.Create(ByteString.CopyFrom(output.WrittenMemory.ToArray()), Acknowledged.Instance), self);
        output.ResetWrittenCount();
    }

    /// <summary>Sends raw bytes (TLS records), if any.</summary>
    public void Send(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return;
        }

        _unacked++;
        connection.Tell(Tcp.Write.Create(ByteString.FromBytes(bytes), Acknowledged.Instance), self);
    }

    /// <summary>Pull mode: ask for the next chunk as soon as the replies so far are acknowledged.</summary>
    public void ReadWhenFlushed()
    {
        _readWanted = true;
        TryRead();
    }

    private void Acked()
    {
        _unacked--;
        TryRead();
    }

    /// <summary>Akka.IO's Close flushes pending writes, then sends FIN; no read is asked for after it.</summary>
    public void Close()
    {
        _closed = true;
        connection.Tell(Tcp.Close.Instance, self);
    }

    public void Abort()
    {
        _closed = true;
        connection.Tell(Tcp.Abort.Instance, self);
    }

    private void TryRead()
    {
        // After Close a late ack must not ask the socket for more: the session is over.
        if (_readWanted && _unacked == 0 && !_closed)
        {
            _readWanted = false;
            connection.Tell(Tcp.ResumeReading.Instance, self);
        }
    }
}
