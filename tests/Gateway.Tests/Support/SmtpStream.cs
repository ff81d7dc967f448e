using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.Tests.Support;

/// <summary>
/// A raw SMTP client, for dialogs real clients refuse to produce, whose stream can be upgraded to
/// TLS with .NET's SslStream (OpenSSL underneath): an independent TLS implementation against the
/// gateway's BouncyCastle server. Optionally bound to a source address (all of 127/8 is loopback).
/// </summary>
internal sealed class SmtpStream : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly byte[] _buffer = new byte[16384];
    private readonly StringBuilder _pending = new();
    private Stream _stream;

    private SmtpStream(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public SslStream? Tls => _stream as SslStream;

    /// <summary>The CA names the server sent in its certificate request (SPEC R15), as .NET renders them.</summary>
    public IReadOnlyList<string> AcceptableIssuers { get; private set; } = [];

    public static async Task<SmtpStream> ConnectAsync(IPEndPoint endpoint, IPAddress? source = null)
    {
        var client = source is null ? new TcpClient() : new TcpClient(new IPEndPoint(source, 0));
        await client.ConnectAsync(endpoint);
        return new SmtpStream(client);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public async Task<string?> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>Handshakes as a TLS client; the server certificate is accepted, whatever it is (the gateway is under test, not its certificate).</summary>
    /// <param name="serverBytes">When given, every byte the server sends during the handshake is copied into it, as it came off the wire.</param>
    public async Task StartTlsAsync(X509Certificate2? clientCertificate = null, SslProtocols protocols = SslProtocols.None, MemoryStream? serverBytes = null)
    {
        if (_pending.Length > 0)
        {
            throw new InvalidOperationException($"clear-text bytes after the 220: '{_pending}'");
        }

        var tls = new SslStream(serverBytes is null ? _stream : new ReadCopyingStream(_stream, serverBytes), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "mx.test.example",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            // .NET asks once before the handshake (no names yet) and again on the server's request.
            LocalCertificateSelectionCallback = (_, _, _, _, issuers) =>
            {
                if (issuers.Length > 0)
                {
                    AcceptableIssuers = issuers;
                }

                return clientCertificate!;
            },
        };

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await tls.AuthenticateAsClientAsync(options, deadline.Token);
        _stream = tls;
    }

    /// <summary>
    /// A whole session's worth on a fresh connection: the greeting, EHLO (with <paramref name="startTls"/>, STARTTLS
    /// through SslStream and EHLO again), then one message from a@example.com to
    /// <paramref name="rcpt"/>, each reply checked. For tests whose subject is what happens around the message.
    /// </summary>
    public async Task SendMessageAsync(string rcpt, string subject, bool startTls = false)
    {
        Assert.StartsWith("220 ", await ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        if (startTls)
        {
            // RFC 3207 §4.2: EHLO again over TLS.
            Assert.StartsWith("220 ", await CommandAsync("STARTTLS"), StringComparison.Ordinal);
            await StartTlsAsync();
            Assert.StartsWith("250", await CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        }

        Assert.StartsWith("250 ", await CommandAsync("MAIL FROM:<a@example.com>"), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await CommandAsync($"RCPT TO:<{rcpt}>"), StringComparison.Ordinal);
        Assert.StartsWith("354 ", await CommandAsync("DATA"), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await CommandAsync($"Subject: {subject}\r\n\r\nhello\r\n."), StringComparison.Ordinal);
    }

    /// <summary>One complete reply (all lines, joined by LF); null when the server closed the connection.</summary>
    public async Task<string?> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return string.Join("\n", lines);
            }
        }

        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    /// <summary>True when the server closes without sending anything more (SPEC R6: no reply).</summary>
    public async Task<bool> ClosedWithoutReplyAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            var read = await _stream.ReadAsync(_buffer, deadline.Token);
            return read == 0 && _pending.Length == 0;
        }
        catch (IOException)
        {
            return _pending.Length == 0;
        }
    }

    /// <summary>One CRLF-terminated line; null at end of stream or reset; TimeoutException after 20 s of silence.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 2);
                return text[..end];
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer, deadline.Token);
            }
            catch (IOException)
            {
                return null;
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no complete server line within 20 s; pending: '{_pending}'");
            }

            if (read == 0)
            {
                return null;
            }

            _pending.Append(Encoding.UTF8.GetString(_buffer, 0, read));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
