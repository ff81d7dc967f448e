using System.Buffers;
using Akka.Actor;
using Akka.IO;

namespace Gateway.Actors.Connection;

/// <summary>
/// The one seam between a session and its socket (Akka.IO today): send bytes, ask for the next
/// chunk, close. Writes are acknowledged, and the next chunk is requested only once every write is
/// acknowledged, so a client that sends without reading cannot make us buffer replies without end.
/// </summary>
internal sealed class Transport(IActorRef connection, IActorRef self)
{
    /// <summary>The ack event of every write; the owner hands it back through <see cref="Acked"/>.</summary>
    public sealed class Acknowledged : Tcp.Event
    {
        public static readonly Acknowledged Instance = new();
    }

    private int _unacked;
    private bool _readWanted;

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

    public void Acked()
    {
        _unacked--;
        TryRead();
    }

    /// <summary>Akka.IO's Close flushes pending writes, then sends FIN.</summary>
    public void Close() => connection.Tell(Tcp.Close.Instance, self);

    public void Abort() => connection.Tell(Tcp.Abort.Instance, self);

    private void TryRead()
    {
        if (_readWanted && _unacked == 0)
        {
            _readWanted = false;
            connection.Tell(Tcp.ResumeReading.Instance, self);
        }
    }
}
