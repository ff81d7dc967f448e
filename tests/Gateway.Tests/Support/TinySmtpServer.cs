using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.Tests.Support;

/// <summary>
/// A small SMTP server on loopback (port 0) that the gateway relays to in tests: it records what it receives and can be
/// told to misbehave at every stage. STARTTLS with .NET's SslStream (OpenSSL underneath), so the gateway's BouncyCastle
/// client meets an independent TLS implementation. One task per connection; lines in, replies out, in order, so a
/// pipelined client is served as RFC 2920 asks.
/// </summary>
internal sealed class TinySmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Task _accepting;
    private int _connections;
    private bool _disposed;

    /// <param name="address">Where to listen (all of 127/8 is loopback, so MX tests give each host its own address).</param>
    /// <param name="port">0 for a free port; another server's port to listen beside it on another address.</param>
    public TinySmtpServer(SinkBehaviour? behaviour = null, IPAddress? address = null, int port = 0)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        Behaviour = behaviour ?? new SinkBehaviour();
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public SinkBehaviour Behaviour { get; set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<Received> Messages => [.. _received];

    /// <summary>Every command line received, in order, across connections (for dialogue assertions).</summary>
    public IReadOnlyList<string> Commands => [.. _log];

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await new Session(this, client.GetStream()).RunAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
            {
                // The client went away, or the handshake failed: the session ends.
            }
        }
    }

    /// <summary>One message as the sink took it, with the TLS facts of its connection.</summary>
    public sealed record Received(string MailFrom, IReadOnlyList<string> Recipients, string Data, bool Tls, string? ClientCertificateSubject, string? SniName);

    private sealed class Session(TinySmtpServer server, Stream network)
    {
        // Read at each command, so a test can change the behaviour of a connection the relay keeps open.
        private SinkBehaviour _b => server.Behaviour;
        private Stream _stream = network;
        private readonly byte[] _buffer = new byte[65536];
        private readonly MemoryStream _pending = new();
        private bool _tls;
        private string? _clientSubject;
        private string? _sni;

        public async Task RunAsync(CancellationToken stop)
        {
            await WriteAsync(_b.Greeting, stop);
            if (!_b.Greeting.StartsWith("220", StringComparison.Ordinal))
            {
                await ReadLineAsync(stop);
                await WriteAsync("221 bye", stop);
                return;
            }

            string? from = null;
            var recipients = new List<string>();
            while (await ReadLineAsync(stop) is { } line)
            {
                server._log.Enqueue(line);
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await WriteAsync(_b.EhloReply ?? Ehlo(), stop);
                        break;
                    case "HELO":
                        await WriteAsync("250 sink", stop);
                        break;
                    case "STARTTLS" when !_tls && _b.Certificate is not null:
                        await WriteAsync(_b.StartTlsReply + (_b.InjectAfterStartTls ?? ""), stop);
                        if (!_b.StartTlsReply.StartsWith("220", StringComparison.Ordinal))
                        {
                            break;
                        }

                        if (_b.BreakHandshake)
                        {
                            await _stream.WriteAsync("this is not a TLS record\r\n"u8.ToArray(), stop);
                            return;
                        }

                        await HandshakeAsync(stop);
                        break;
                    case "MAIL":
                        from = _b.MailReply.StartsWith('2') ? line : null;
                        recipients.Clear();
                        await WriteAsync(_b.MailReply, stop);
                        break;
                    case "RCPT" when from is null:
                        await WriteAsync("503 5.5.1 need MAIL first", stop);
                        break;
                    case "RCPT":
                        var reply = _b.RcptReply(Address(line));
                        if (reply.StartsWith('2'))
                        {
                            recipients.Add(Address(line));
                        }

                        await WriteAsync(reply, stop);
                        break;
                    case "DATA":
                        if (recipients.Count == 0)
                        {
                            await WriteAsync("554 5.5.1 no valid recipients", stop);
                            break;
                        }

                        await WriteAsync(_b.DataReply, stop);
                        if (!_b.DataReply.StartsWith("354", StringComparison.Ordinal))
                        {
                            break;
                        }

                        var data = await ReadDataAsync(stop);
                        if (_b.DropAfterData)
                        {
                            return;
                        }

                        if (_b.EndOfDataReply.StartsWith('2'))
                        {
                            server._received.Enqueue(new Received(from ?? "", [.. recipients], data, _tls, _clientSubject, _sni));
                        }

                        await WriteAsync(_b.EndOfDataReply, stop);
                        from = null;
                        break;
                    case "BDAT":
                        var parts = line.Split(' ');
                        var size = int.Parse(parts[1], CultureInfo.InvariantCulture);
                        var chunk = await ReadBytesAsync(size, stop);
                        if (_b.DropAfterData)
                        {
                            return;
                        }

                        server._received.Enqueue(new Received(from ?? "", [.. recipients], Encoding.UTF8.GetString(chunk), _tls, _clientSubject, _sni));
                        await WriteAsync(_b.EndOfDataReply, stop);
                        break;
                    case "RSET":
                        from = null;
                        recipients.Clear();
                        await WriteAsync("250 2.0.0 reset", stop);
                        break;
                    case "QUIT":
                        await WriteAsync("221 2.0.0 bye", stop);
                        return;
                    default:
                        await WriteAsync("502 5.5.2 what?", stop);
                        break;
                }
            }
        }

        private string Ehlo()
        {
            var lines = new List<string> { "sink.test.example" };
            lines.AddRange(_b.Extensions);
            if (_b.Certificate is not null && !_tls)
            {
                lines.Add("STARTTLS");
            }

            return string.Join("\r\n", lines.Select((l, i) => (i == lines.Count - 1 ? "250 " : "250-") + l));
        }

        private async Task HandshakeAsync(CancellationToken stop)
        {
            // Whatever was pipelined after STARTTLS is thrown away (RFC 3207 §4.2), as a careful server does.
            _pending.SetLength(0);
            var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = _b.Certificate,
                    ClientCertificateRequired = _b.RequestClientCertificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                },
                stop);
            _stream = ssl;
            _tls = true;
            _clientSubject = ssl.RemoteCertificate?.Subject;
            _sni = ssl.TargetHostName;
        }

        private static string Address(string line)
        {
            var start = line.IndexOf('<', StringComparison.Ordinal);
            var end = line.IndexOf('>', StringComparison.Ordinal);
            return start >= 0 && end > start ? line[(start + 1)..end] : "";
        }

        private Task WriteAsync(string reply, CancellationToken stop) =>
            _stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), stop).AsTask();

        private async Task<bool> FillAsync(CancellationToken stop)
        {
            var n = await _stream.ReadAsync(_buffer, stop);
            if (n == 0)
            {
                return false;
            }

            var position = _pending.Position;
            _pending.Seek(0, SeekOrigin.End);
            _pending.Write(_buffer, 0, n);
            _pending.Position = position;
            return true;
        }

        private async Task<string?> ReadLineAsync(CancellationToken stop)
        {
            while (true)
            {
                var bytes = _pending.GetBuffer();
                var start = (int)_pending.Position;
                var length = (int)_pending.Length;
                var lf = Array.IndexOf(bytes, (byte)'\n', start, length - start);
                if (lf >= 0)
                {
                    var line = Encoding.UTF8.GetString(bytes, start, lf - start).TrimEnd('\r');
                    _pending.Position = lf + 1;
                    return line;
                }

                if (!await FillAsync(stop))
                {
                    return null;
                }
            }
        }

        private async Task<string> ReadDataAsync(CancellationToken stop)
        {
            var text = new StringBuilder();
            while (true)
            {
                // A message cut off by the client going away (a crash mid-DATA) is not a message: it is never recorded.
                var line = await ReadLineAsync(stop) ?? throw new IOException("connection closed in DATA");
                if (line == ".")
                {
                    return text.ToString();
                }

                text.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
            }
        }

        private async Task<byte[]> ReadBytesAsync(int count, CancellationToken stop)
        {
            while (_pending.Length - _pending.Position < count)
            {
                if (!await FillAsync(stop))
                {
                    throw new IOException("connection closed in BDAT");
                }
            }

            var result = new byte[count];
            _pending.ReadExactly(result);
            return result;
        }
    }
}

/// <summary>How a <see cref="TinySmtpServer"/> answers; every reply can be set to test a failure at that stage.</summary>
internal sealed record SinkBehaviour
{
    public string Greeting { get; init; } = "220 sink.test.example ESMTP";

    public IReadOnlyList<string> Extensions { get; init; } = ["PIPELINING", "8BITMIME", "SIZE 10485760", "ENHANCEDSTATUSCODES"];

    /// <summary>The whole EHLO reply, when set, instead of one built from <see cref="Extensions"/>.</summary>
    public string? EhloReply { get; init; }

    public X509Certificate2? Certificate { get; init; }

    public bool RequestClientCertificate { get; init; }

    public string StartTlsReply { get; init; } = "220 2.0.0 Ready to start TLS";

    /// <summary>Bytes sent right after the 220 to STARTTLS, in clear (the R83 response injection).</summary>
    public string? InjectAfterStartTls { get; init; }

    /// <summary>Answer STARTTLS with 220, then send garbage instead of a handshake.</summary>
    public bool BreakHandshake { get; init; }

    public string MailReply { get; init; } = "250 2.1.0 ok";

    public Func<string, string> RcptReply { get; init; } = _ => "250 2.1.5 ok";

    public string DataReply { get; init; } = "354 go ahead";

    public string EndOfDataReply { get; init; } = "250 2.0.0 queued as SINK1";

    /// <summary>Close the connection after the data, without a reply.</summary>
    public bool DropAfterData { get; init; }
}
