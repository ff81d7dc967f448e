using System.Net;
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

    private SmtpSession(byte[] rcpt, byte[] body)
    {
        _rcpt = rcpt;
        _body = body;
    }

    public static SmtpSession Build(int size, string rcpt)
    {
        var body = new StringBuilder();
        body.Append("From: bench@bench.example\r\nTo: ").Append(rcpt).Append("\r\nSubject: bench\r\n\r\n");
        var line = new string('x', 76) + "\r\n";
        while (body.Length + line.Length <= size)
        {
            body.Append(line);
        }

        body.Append('y', Math.Max(0, size - body.Length - 2)).Append("\r\n.\r\n");
        return new SmtpSession(Encoding.ASCII.GetBytes($"RCPT TO:<{rcpt}>\r\n"), Encoding.ASCII.GetBytes(body.ToString()));
    }

    /// <summary>Null on success, else what went wrong (the unexpected reply or the socket error).</summary>
    public async Task<string?> SendOneAsync(IPEndPoint target, bool greetingOnly = false)
    {
        try
        {
            using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target);
            var replies = new ReplyReader(socket);
            if (greetingOnly)
            {
                return await replies.ExpectAsync("220") ?? await QuitAsync(socket, replies);
            }

            return await replies.ExpectAsync("220")
                ?? await Step(socket, replies, _ehlo, "250")
                ?? await Step(socket, replies, _mail, "250")
                ?? await Step(socket, replies, _rcpt, "250")
                ?? await Step(socket, replies, _data, "354")
                ?? await Step(socket, replies, _body, "250")
                ?? await QuitAsync(socket, replies);
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }

    private static async Task<string?> Step(Socket socket, ReplyReader replies, byte[] command, string code)
    {
        await socket.SendAsync(command);
        return await replies.ExpectAsync(code);
    }

    // As a real MTA does, wait for 221 before closing: closing with the reply unread would reset
    // the connection, and the server would count an error that a real client never causes.
    private Task<string?> QuitAsync(Socket socket, ReplyReader replies) => Step(socket, replies, _quit, "221");

    /// <summary>Reads whole replies (multi-line aware) and checks their code.</summary>
    private sealed class ReplyReader(Socket socket)
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

                var read = await socket.ReceiveAsync(_buffer.AsMemory(_end));
                if (read == 0)
                {
                    return null;
                }

                _end += read;
            }
        }
    }
}
