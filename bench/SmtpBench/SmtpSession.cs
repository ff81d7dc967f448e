using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Bench;

/// <summary>One plain SMTP delivery over a fresh connection, with the bytes prepared once.</summary>
internal sealed class SmtpSession
{
    private readonly byte[] _ehlo = "EHLO bench.example\r\n"u8.ToArray();
    private readonly byte[] _mail = "MAIL FROM:<bench@bench.example>\r\n"u8.ToArray();
    private readonly byte[] _rcpt;
    private readonly byte[] _data = "DATA\r\n"u8.ToArray();
    private readonly byte[] _body;
    private readonly byte[] _quit = "QUIT\r\n"u8.ToArray();
    private readonly byte[] _startTls = "STARTTLS\r\n"u8.ToArray();

    /// <summary>Upgrade every session with STARTTLS (TLS 1.3 by .NET's SslStream, i.e. OpenSSL) before MAIL.</summary>
    public bool StartTls { get; init; }

    /// <summary>Use the gateway's BouncyCastle client engine instead of SslStream (a cheaper client).</summary>
    public bool BouncyCastleClient { get; init; }

    private SmtpSession(byte[] rcpt, byte[] body)
    {
        _rcpt = rcpt;
        _body = body;
    }

    public static SmtpSession Build(int size, string rcpt, bool startTls = false, bool bouncyCastle = false)
    {
        var body = new StringBuilder();
        body.Append("From: bench@bench.example\r\nTo: ").Append(rcpt).Append("\r\nSubject: bench\r\n\r\n");
        var line = new string('x', 76) + "\r\n";
        while (body.Length + line.Length <= size)
        {
            body.Append(line);
        }

        body.Append('y', Math.Max(0, size - body.Length - 2)).Append("\r\n.\r\n");
        return new SmtpSession(Encoding.ASCII.GetBytes($"RCPT TO:<{rcpt}>\r\n"), Encoding.ASCII.GetBytes(body.ToString())) { StartTls = startTls, BouncyCastleClient = bouncyCastle };
    }

    /// <summary>Null on success, else what went wrong (the unexpected reply or the socket error).</summary>
    public async Task<string?> SendOneAsync(IPEndPoint target, bool greetingOnly = false)
    {
        try
        {
            using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            var replies = new ReplyReader(stream);
            if (greetingOnly)
            {
                return await replies.ExpectAsync("220") ?? await Step(stream, replies, _quit, "221");
            }

            if ((await replies.ExpectAsync("220") ?? await Step(stream, replies, _ehlo, "250")) is { } failed)
            {
                return failed;
            }

            if (StartTls)
            {
                if (await Step(stream, replies, _startTls, "220") is { } refused)
                {
                    return refused;
                }

                stream = await UpgradeAsync(stream);
                replies = new ReplyReader(stream);
                if (await Step(stream, replies, _ehlo, "250") is { } again)
                {
                    return again;
                }
            }

            var result = await Step(stream, replies, _mail, "250")
                ?? await Step(stream, replies, _rcpt, "250")
                ?? await Step(stream, replies, _data, "354")
                ?? await Step(stream, replies, _body, "250")
                ?? await Step(stream, replies, _quit, "221");
            await stream.DisposeAsync();
            return result;
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return e.Message;
        }
    }

    /// <summary>Opens a session up to EHLO (after STARTTLS if set) and keeps it: for idle-memory measurements.</summary>
    public async Task<Stream> OpenIdleAsync(IPEndPoint target)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(target);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        var replies = new ReplyReader(stream);
        var failed = await replies.ExpectAsync("220") ?? await Step(stream, replies, _ehlo, "250");
        if (failed is null && StartTls)
        {
            failed = await Step(stream, replies, _startTls, "220");
            stream = await UpgradeAsync(stream);
            failed ??= await Step(stream, new ReplyReader(stream), _ehlo, "250");
        }

        return failed is null ? stream : throw new IOException(failed);
    }

    private async Task<Stream> UpgradeAsync(Stream stream)
    {
        if (BouncyCastleClient)
        {
            return await BcTlsStream.ConnectAsync(stream, "bench.test");
        }

        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "bench.test",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        return tls;
    }

    private static async Task<string?> Step(Stream stream, ReplyReader replies, byte[] command, string code)
    {
        await stream.WriteAsync(command);
        return await replies.ExpectAsync(code);
    }

    /// <summary>Reads whole replies (multi-line aware) and checks their code.</summary>
    private sealed class ReplyReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        public async Task<string?> ExpectAsync(string code)
        {
            while (true)
            {
                var line = await LineAsync();
                if (line is null)
                {
                    return $"connection closed, expected {code}";
                }

                if (!line.StartsWith(code, StringComparison.Ordinal))
                {
                    return $"expected {code}, got '{line}'";
                }

                if (line.Length < 4 || line[3] != '-')
                {
                    return null;
                }
            }
        }

        private async Task<string?> LineAsync()
        {
            while (true)
            {
                var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (lf >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                    _start = lf + 1;
                    return line;
                }

                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }

                var read = await stream.ReadAsync(_buffer.AsMemory(_end));
                if (read == 0)
                {
                    return null;
                }

                _end += read;
            }
        }
    }
}
