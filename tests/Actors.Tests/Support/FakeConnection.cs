using System.Net;
using System.Text;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit;
using Gateway.Actors.Connection;
using Gateway.Actors.Queue;
using Gateway.Protocol.Replies;

namespace Gateway.Actors.Tests.Support;

/// <summary>
/// Plays the Akka.IO connection actor for one <see cref="ConnectionActor"/>: it collects the bytes
/// written, acknowledges each write (unless <see cref="AutoAck"/> is off), counts ResumeReading,
/// notes Close and Abort, answers Close with Closed, and parses what was written into replies.
/// With a <see cref="Tls"/> peer attached, written bytes are decrypted by it before they are parsed
/// and sent text is encrypted by it, so a test reads and writes plaintext on both sides of STARTTLS.
/// </summary>
public sealed class FakeConnection
{
    public static readonly IPEndPoint Remote = new(IPAddress.Loopback, 40000);

    private readonly TestProbe _probe;
    private readonly StringBuilder _partialLine = new();
    private readonly List<string> _replyLines = [];
    private readonly Queue<WireReply> _replies = new();
    private readonly Queue<(object Ack, IActorRef Writer)> _unacked = new();
    private readonly List<byte[]> _written = [];
    private int _chunksSent;

    private FakeConnection(TestKitBase kit) => _probe = kit.CreateTestProbe();

    public IActorRef Session { get; private set; } = ActorRefs.Nobody;

    /// <summary>When false, writes stay unacknowledged until <see cref="AckOne"/>.</summary>
    public bool AutoAck { get; set; } = true;

    public int Writes { get; private set; }

    public int ReadRequests { get; private set; }

    public bool CloseRequested { get; private set; }

    public bool Aborted { get; private set; }

    /// <summary>
    /// The client's TLS engine once a handshake has started (set by <see cref="HandshakeAsync"/>, or by
    /// a test that drives the handshake itself); null while the dialog is clear text.
    /// </summary>
    public TlsClientPeer? Tls { get; set; }

    /// <summary>Every write as it went over the wire (ciphertext once TLS is up), in order.</summary>
    public IReadOnlyList<byte[]> Written => _written;

    /// <summary>Replies parsed but not yet taken by an Expect call.</summary>
    public int UnreadReplies => _replies.Count;

    /// <summary>Starts a session on this connection, as the listener does on Tcp.Connected.</summary>
    public static FakeConnection Open(TestKitBase kit, ISpool spool, IActorRef queue, ConnectionSettings? settings = null)
    {
        var connection = new FakeConnection(kit);
        connection.Session = kit.Sys.ActorOf(ConnectionActor.Props(connection._probe.Ref, Remote, settings ?? TestSettings.Connection, spool, queue));
        return connection;
    }

    /// <summary>As <see cref="Open"/>, with the test actor as the session's parent (the listener), to see what it tells its parent.</summary>
    public static FakeConnection OpenAsChild(TestKitBase kit, ISpool spool, IActorRef queue, ConnectionSettings settings)
    {
        var connection = new FakeConnection(kit);
        connection.Session = kit.ChildActorOf(ConnectionActor.Props(connection._probe.Ref, Remote, settings, spool, queue));
        if (settings.ProxyProtocol)
        {
            // On a PROXY listener the first read is the listener's, sent right after its Register.
            connection.ReadRequests++;
        }

        return connection;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends <paramref name="bytes"/> as one chunk, encrypted first when a <see cref="Tls"/> peer is attached.</summary>
    public Task SendAsync(byte[] bytes) => DeliverAsync(Tls is null ? bytes : Tls.Encrypt(bytes));

    /// <summary>
    /// Attaches <paramref name="peer"/> and runs its handshake: each client flight is delivered, and
    /// the server's answer (decrypted by the peer as it is written) produces the next one, until the
    /// client has nothing more to say.
    /// </summary>
    public async Task HandshakeAsync(TlsClientPeer peer)
    {
        Tls = peer;
        var flight = peer.Start();
        while (flight.Length > 0)
        {
            await DeliverAsync(flight);
            await ExpectReadRequestAsync();
            flight = peer.TakeOutput();
        }

        Assert.True(peer.HandshakeComplete, "the client's handshake did not complete");
    }

    /// <summary>
    /// Delivers bytes as they are, the way Akka.IO does in pull mode: only after a ResumeReading
    /// that no earlier chunk used, handling the writes that come before it.
    /// </summary>
    public async Task DeliverAsync(byte[] bytes)
    {
        while (ReadRequests <= _chunksSent)
        {
            await NextAsync();
        }

        _chunksSent++;
        Session.Tell(new Tcp.Received(ByteString.FromBytes(bytes)), _probe.Ref);
    }

    public async Task<WireReply> ExpectReplyAsync()
    {
        while (_replies.Count == 0)
        {
            await NextAsync();
        }

        return _replies.Dequeue();
    }

    public async Task<WireReply> ExpectReplyAsync(int code)
    {
        var reply = await ExpectReplyAsync();
        Assert.True(reply.Code == code, $"expected a {code} reply, got: {reply}");
        return reply;
    }

    /// <summary>Expects exactly the wire form of <paramref name="expected"/>: code, enhanced status and text.</summary>
    public async Task<WireReply> ExpectReplyAsync(Reply expected)
    {
        var reply = await ExpectReplyAsync();
        Assert.Equal(Encoding.UTF8.GetString(ReplyWriter.ToBytes(expected)), reply.Wire);
        return reply;
    }

    public async Task ExpectRepliesAsync(params Reply[] expected)
    {
        foreach (var reply in expected)
        {
            await ExpectReplyAsync(reply);
        }
    }

    /// <summary>Consumes the greeting and the EHLO reply.</summary>
    public async Task HelloAsync()
    {
        await ExpectReplyAsync(220);
        await SendAsync("EHLO client.example\r\n");
        await ExpectReplyAsync(250);
    }

    /// <summary>Waits for the next ResumeReading, handling writes that come before it.</summary>
    public async Task ExpectReadRequestAsync()
    {
        var before = ReadRequests;
        while (ReadRequests == before)
        {
            await NextAsync();
        }
    }

    /// <summary>Waits for Close, handling the writes that come before it; no reply may be left unread.</summary>
    public async Task ExpectClosedAsync()
    {
        while (!CloseRequested)
        {
            await NextAsync();
        }

        Assert.True(_replies.Count == 0, $"unread reply before Close: {(_replies.Count > 0 ? _replies.Peek() : null)}");
    }

    /// <summary>Asserts the session sends nothing at all (no write, no read request) for <paramref name="duration"/>.</summary>
    public Task ExpectSilenceAsync(TimeSpan duration) => _probe.ExpectNoMsgAsync(duration).AsTask();

    public void AckOne()
    {
        var (ack, writer) = _unacked.Dequeue();
        writer.Tell(ack, _probe.Ref);
    }

    private async Task NextAsync()
    {
        var message = await _probe.ExpectMsgAsync<object>();
        switch (message)
        {
            case Tcp.Write write:
                Writes++;
                var bytes = write.Data.ToArray();
                _written.Add(bytes);
                Parse(Encoding.UTF8.GetString(Tls is null ? bytes : Tls.Receive(bytes)));
                Assert.NotNull(write.Ack);
                if (AutoAck)
                {
                    _probe.LastSender.Tell(write.Ack, _probe.Ref);
                }
                else
                {
                    _unacked.Enqueue((write.Ack, _probe.LastSender));
                }

                break;
            case Tcp.ResumeReading:
                ReadRequests++;
                break;
            case Tcp.Close:
                CloseRequested = true;
                // Akka.IO answers Close with Closed once the pending writes are flushed.
                _probe.LastSender.Tell(Tcp.Closed.Instance, _probe.Ref);
                break;
            case Tcp.Abort:
                Aborted = true;
                break;
            default:
                Assert.Fail($"unexpected message to the connection: {message}");
                break;
        }
    }

    private void Parse(string text)
    {
        _partialLine.Append(text);
        var all = _partialLine.ToString();
        var start = 0;
        int end;
        while ((end = all.IndexOf("\r\n", start, StringComparison.Ordinal)) >= 0)
        {
            var line = all[start..end];
            start = end + 2;
            Assert.True(line.Length >= 4 && char.IsAsciiDigit(line[0]) && line[3] is ' ' or '-', $"malformed reply line: {line}");
            _replyLines.Add(line);
            if (line[3] == ' ')
            {
                var code = int.Parse(line[..3], System.Globalization.CultureInfo.InvariantCulture);
                var wire = string.Concat(_replyLines.Select(l => l + "\r\n"));
                _replies.Enqueue(new WireReply(code, [.. _replyLines.Select(l => l[4..])], wire));
                _replyLines.Clear();
            }
        }

        _partialLine.Clear().Append(all[start..]);
    }
}
