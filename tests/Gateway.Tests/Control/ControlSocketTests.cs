using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Gateway.Control;
using Gateway.Tests.Support;

namespace Gateway.Tests.Control;

/// <summary>
/// The node's control socket at the byte level: where it is and its mode, a stale socket file replaced at start, and
/// input that is not a request (garbage, an unknown op, an over-long line) answered with a JSON error while the node
/// goes on answering.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ControlSocketTests : IAsyncLifetime
{
    private TestNode _node = null!;

    private string Socket => Path.Combine(Path.GetFullPath(_node.Settings.QueueDirectory), "control.sock");

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public void The_socket_is_in_the_spool_directory_and_only_the_nodes_user_may_use_it()
    {
        Assert.Equal(Socket, _node.Node.ControlSocketPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Socket));
    }

    [Theory]
    [InlineData("garbage", "bad-request", "not a JSON request object")]
    [InlineData("[1,2]", "bad-request", "not a JSON request object")]
    [InlineData("null", "bad-request", "not a JSON request object")]
    [InlineData("{}", "bad-request", "the request has no \"op\"")]
    [InlineData("{\"op\":\"frob\"}", "bad-request", "unknown op 'frob'")]
    [InlineData("{\"op\":\"hold\"}", "bad-request", "hold needs a queue id")]
    [InlineData("{\"op\":\"hold\",\"id\":\"a b\"}", "bad-request", "'a b' is not a queue id")]
    [InlineData("{\"op\":\"list\",\"id\":\"X\"}", "bad-request", "list takes no id")]
    [InlineData("{\"op\":1}", "bad-request", "not a JSON request object")]
    public async Task A_line_that_is_not_a_request_gets_a_JSON_error_and_the_connection_still_answers(string line, string error, string text)
    {
        await using var connection = await ConnectAsync();

        var answer = await connection.ExchangeAsync(Encoding.UTF8.GetBytes(line + "\n"));
        var next = await connection.ExchangeAsync(ControlCodec.Line(new ControlRequest(ControlRequest.List)));

        Assert.False(answer.Ok);
        Assert.Equal(error, answer.Error);
        Assert.StartsWith(text, answer.Text, StringComparison.Ordinal);
        Assert.True(next.Ok);
        Assert.Equal([], next.Messages!);
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF8_get_a_JSON_error()
    {
        await using var connection = await ConnectAsync();

        var answer = await connection.ExchangeAsync([0xff, 0xfe, (byte)'{', 0x80, (byte)'\n']);

        Assert.Equal(ControlAnswer.BadRequest, answer.Error);
    }

    [Fact]
    public async Task A_line_over_64_KB_is_dropped_to_its_end_and_answered_too_long_and_the_connection_goes_on()
    {
        await using var connection = await ConnectAsync();

        var answer = await connection.ExchangeAsync(Encoding.ASCII.GetBytes(new string('x', (3 * ControlSocket.MaxLine) + 10) + "\n"));
        var next = await connection.ExchangeAsync(ControlCodec.Line(new ControlRequest(ControlRequest.List)));

        Assert.Equal(ControlAnswer.TooLong, answer.Error);
        Assert.True(next.Ok);
    }

    [Fact]
    public async Task An_over_long_line_the_client_never_ends_is_answered_when_it_stops_sending()
    {
        await using var connection = await ConnectAsync();

        await connection.Socket.SendAsync(new byte[ControlSocket.MaxLine + 1]);
        connection.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(ControlAnswer.TooLong, ControlCodec.Answer(Encoding.UTF8.GetBytes(await connection.ReadLineAsync() ?? ""))!.Error);
        Assert.Null(await connection.ReadLineAsync());
    }

    [Fact]
    public async Task A_request_without_its_line_feed_is_answered_when_the_client_stops_sending()
    {
        await using var connection = await ConnectAsync();

        await connection.Socket.SendAsync("{\"op\":\"list\"}"u8.ToArray());
        connection.Socket.Shutdown(SocketShutdown.Send);

        Assert.True(ControlCodec.Answer(Encoding.UTF8.GetBytes(await connection.ReadLineAsync() ?? ""))!.Ok);
    }

    [Fact]
    public async Task A_stale_socket_file_is_replaced_at_start()
    {
        var spool = Path.Combine(_node.Root, "second-spool");
        Directory.CreateDirectory(spool);
        var stale = Path.Combine(spool, "control.sock");
        await File.WriteAllTextAsync(stale, "left by a node that crashed");

        await using var second = await TestNode.StartAsync($"--Queue:Directory={spool}");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stale));
        Assert.True((await ControlClient.ExchangeAsync(stale, new ControlRequest(ControlRequest.List))).Ok);
    }

    private async Task<RawConnection> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
        return new RawConnection(socket);
    }

    /// <summary>A control connection that sends any bytes at all and reads the answers line by line.</summary>
    private sealed class RawConnection(Socket socket) : IAsyncDisposable
    {
        private readonly NetworkStream _stream = new(socket, ownsSocket: true);
        private readonly List<byte> _pending = [];

        public Socket Socket => socket;

        public async Task<ControlAnswer> ExchangeAsync(byte[] bytes)
        {
            await _stream.WriteAsync(bytes);
            var line = await ReadLineAsync() ?? throw new IOException("closed without an answer");
            return ControlCodec.Answer(Encoding.UTF8.GetBytes(line)) ?? throw new InvalidDataException($"not an answer: {line}");
        }

        public async Task<string?> ReadLineAsync()
        {
            var buffer = new byte[4096];
            while (!_pending.Contains((byte)'\n'))
            {
                var read = await _stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return null;
                }

                _pending.AddRange(buffer.AsSpan(0, read));
            }

            var end = _pending.IndexOf((byte)'\n');
            var line = Encoding.UTF8.GetString([.. _pending.Take(end)]);
            _pending.RemoveRange(0, end + 1);
            return line;
        }

        public ValueTask DisposeAsync() => _stream.DisposeAsync();
    }
}
