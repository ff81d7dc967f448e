using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Gateway.Tests.Support;

namespace Gateway.Tests.Tls;

/// <summary>
/// Issue 16: after STARTTLS's 220 a hostile client sends what it likes: random bytes, record-shaped bytes with
/// random bodies, truncated records, records announcing huge lengths, part of a real ClientHello. Each such
/// session must end with the node closing it and never an SMTP reply in clear text (SPEC R6), while a normal
/// session on the same node, running at the same time, sends its message, and the node goes on serving.
/// Seeded, so the bytes are the same on every run.
/// </summary>
public sealed class TlsRecordFuzzTests : IAsyncLifetime
{
    private const int Seed = 16;
    private const int HostileSessions = 24;

    private readonly TestPki _pki = new();
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(_pki.ServerSwitches());

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task Hostile_records_after_STARTTLS_close_their_own_session_only_and_never_get_a_clear_text_reply()
    {
        var random = new Random(Seed);
        var clientHello = await ClientHelloAsync();
        var payloads = Enumerable.Range(0, HostileSessions).Select(i => Hostile(random, i, clientHello)).ToArray();

        var normal = SendOverTlsAsync("fuzz-normal@localhost");
        var answers = await Task.WhenAll(payloads.Select(HostileSessionAsync));
        await normal;

        for (var i = 0; i < answers.Length; i++)
        {
            // Nothing, or a TLS alert/handshake record: never "5xx ..." in clear text after the 220.
            Assert.True(answers[i].Length == 0 || answers[i][0] is 0x15 or 0x16,
                $"session {i} ({payloads[i].Kind}) got {Convert.ToHexString(answers[i].AsSpan(0, Math.Min(answers[i].Length, 32)))}: '{Encoding.ASCII.GetString(answers[i])}'");
        }

        // The node is still up and serving after all of them.
        await SendOverTlsAsync("fuzz-after@localhost");
        Assert.Single(await MaildirReader.WaitForAsync(_node.Maildir, "fuzz-normal@localhost", 1));
        Assert.Single(await MaildirReader.WaitForAsync(_node.Maildir, "fuzz-after@localhost", 1));
    }

    private static (string Kind, byte[] Bytes) Hostile(Random random, int session, byte[] clientHello)
    {
        switch (session % 6)
        {
            case 0:
                return ("random bytes", Bytes(random, random.Next(1, 3000)));
            case 1:
                // Well-formed headers (any content type, TLS 1.0-1.3 record versions) with random bodies.
                var records = new List<byte>();
                for (var r = random.Next(1, 6); r > 0; r--)
                {
                    records.AddRange(Record((byte)random.Next(20, 25), Bytes(random, random.Next(0, 1200))));
                }

                return ("records with random bodies", [.. records]);
            case 2:
                var truncated = Record(22, Bytes(random, random.Next(200, 2000)));
                return ("a truncated record", truncated[..random.Next(1, truncated.Length - 1)]);
            case 3:
                // RFC 8446 §5.1: a record is at most 2^14 (+256 protected) bytes; 0xFFFF must not be waited for.
                return ("a huge record length", [22, 3, 3, 0xFF, 0xFF, .. Bytes(random, random.Next(0, 600))]);
            case 4:
                return ("part of a ClientHello", clientHello[..random.Next(1, clientHello.Length)]);
            default:
                var mangled = clientHello.ToArray();
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    mangled[random.Next(5, mangled.Length)] ^= (byte)(1 << random.Next(8));
                }

                return ("a ClientHello with bits flipped", mangled);
        }
    }

    /// <summary>Greeting, EHLO, STARTTLS's 220; then the hostile bytes and our end of the stream; returns all the node sent after the 220.</summary>
    private async Task<byte[]> HostileSessionAsync((string Kind, byte[] Bytes) payload)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_node.Smtp);
        var stream = client.GetStream();
        await ReplyAsync(stream);
        await stream.WriteAsync("EHLO fuzz.example\r\n"u8.ToArray());
        await ReplyAsync(stream);
        await stream.WriteAsync("STARTTLS\r\n"u8.ToArray());
        Assert.StartsWith("220 ", await ReplyAsync(stream), StringComparison.Ordinal);

        try
        {
            await stream.WriteAsync(payload.Bytes);
            // Bytes that cannot start a TLS record, or a record longer than TLS allows, must be closed at once:
            // the stream stays open from our side. Bytes that may yet become a valid flight need our end of it.
            if (Undecidable(payload.Bytes))
            {
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The node may already have closed on the first bad bytes: that is the outcome wanted.
        }

        // The node must close: a timeout here is a session left hanging (the handshake timeout is minutes).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset is a close.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{payload.Kind}: the node did not close the session within 20 s");
        }

        return received.ToArray();
    }

    /// <summary>
    /// True when the bytes could be the start of a valid flight, so the node has to wait for more of them until
    /// the client ends its stream: a first byte that is a TLS content type (RFC 8446 §5.1, 20-24) and a first
    /// record no longer than 2^14 + 2048 bytes (TLSCiphertext's limit).
    /// </summary>
    private static bool Undecidable(byte[] bytes) =>
        bytes[0] is >= 20 and <= 24 && (bytes.Length < 5 || ((bytes[3] << 8) | bytes[4]) <= (1 << 14) + 2048);

    /// <summary>One whole reply, read a byte at a time so that nothing after it is taken from the stream.</summary>
    private static async Task<string> ReplyAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await stream.ReadAsync(one, deadline.Token) == 1)
        {
            text.Append((char)one[0]);
            var value = text.ToString();
            var lastLine = value.TrimEnd('\r', '\n').Split("\r\n")[^1];
            if (value.EndsWith("\r\n", StringComparison.Ordinal) && lastLine.Length >= 4 && lastLine[3] == ' ')
            {
                return value;
            }
        }

        throw new IOException($"closed after '{text}'");
    }

    private async Task SendOverTlsAsync(string rcpt)
    {
        await using var smtp = await SmtpStream.ConnectAsync(_node.Smtp);
        await smtp.SendMessageAsync(rcpt, "fuzz", startTls: true);
        Assert.StartsWith("221 ", await smtp.CommandAsync("QUIT"), StringComparison.Ordinal);
    }

    /// <summary>A real ClientHello, from .NET's SslStream (OpenSSL) writing into a stream that then fails its read.</summary>
    private static async Task<byte[]> ClientHelloAsync()
    {
        var capture = new HelloCapture();
        using var tls = new SslStream(capture);
        await Assert.ThrowsAnyAsync<Exception>(() => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "mx.test.example",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        }));
        Assert.True(capture.Written.Length > 5, "no ClientHello captured");
        return capture.Written.ToArray();
    }

    private static byte[] Record(byte type, byte[] body) =>
        [type, 3, (byte)(body.Length % 4 + 1), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Keeps what is written; every read fails, which ends the handshake after the first flight.</summary>
    private sealed class HelloCapture : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("capture only");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
    }
}
