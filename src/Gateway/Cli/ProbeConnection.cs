using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Protocol.Client;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;

namespace Gateway.Cli;

/// <summary>
/// The probe's end of one SMTP connection: a TCP stream, and once TLS is up a <see cref="TlsClientEngine"/>
/// pumped through it. Every read has a deadline, so a silent server ends the probe instead of hanging it.
/// Trust: every byte comes from the server being debugged; lines are shown with control characters escaped.
/// </summary>
internal sealed class ProbeConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly TimeSpan _timeout;
    private readonly byte[] _buffer = new byte[16 * 1024];

    // Caps a reply line at 4096 bytes and a reply at 1000 lines: a hostile server cannot make the probe hold or print without end.
    private ReplyAssembler _replies = new();
    private TlsClientEngine? _tls;

    private ProbeConnection(TcpClient tcp, TimeSpan timeout)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _timeout = timeout;
    }

    /// <summary>The address actually connected to (IPv4-mapped addresses as IPv4).</summary>
    public IPAddress RemoteAddress
    {
        get
        {
            var address = ((IPEndPoint)_tcp.Client.RemoteEndPoint!).Address;
            return address.Unmapped();
        }
    }

    /// <summary>The handshake failed on bytes that start like an SMTP reply: a clear-text port, not a TLS one.</summary>
    public bool AnsweredInClearText { get; private set; }

    public static async Task<ProbeConnection> ConnectAsync(string host, int port, TimeSpan timeout)
    {
        var tcp = new TcpClient();
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            await tcp.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            return new ProbeConnection(tcp, timeout);
        }
        catch (OperationCanceledException)
        {
            tcp.Dispose();
            throw new ProbeFailure(Invariant($"timeout after {timeout.TotalSeconds}s connecting to {host} port {port}"));
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw new ProbeFailure($"cannot connect to {host} port {port}: {e.Message}");
        }
    }

    /// <summary>
    /// Reads one whole reply, handing each line to <paramref name="onLine"/> as sent (code, continuation mark, text,
    /// control characters escaped) as soon as it arrives, so a server that stops halfway through a reply shows how far it got.
    /// </summary>
    public async Task<ServerReply> ReadReplyAsync(string waitingFor, Action<string> onLine)
    {
        while (true)
        {
            if (_replies.TryTake(onLine) is { } reply)
            {
                return reply;
            }

            if (_replies.Malformed is { } why)
            {
                throw new ProbeFailure($"{why} while waiting for {waitingFor}");
            }

            await FillAsync(waitingFor).ConfigureAwait(false);
        }
    }

    public async Task SendLineAsync(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        if (_tls is null)
        {
            await SendRawAsync(bytes).ConfigureAwait(false);
            return;
        }

        _tls.Write(bytes);
        await SendRawAsync(_tls.TakeOutput()).ConfigureAwait(false);
    }

    /// <summary>
    /// SPEC R83 (CVE-2011-0411, response injection): after the 220 to STARTTLS, clear text already received
    /// must never be read as a reply to a command sent over TLS. Returns how many bytes were thrown away.
    /// </summary>
    public int DiscardPending()
    {
        // The reply to STARTTLS was the last one taken, so every byte still in the assembler came after its 220.
        var count = _replies.Pending;
        _replies = new ReplyAssembler();
        return count;
    }

    /// <summary>
    /// Runs the handshake over this connection. Returns the engine, established or failed; a timeout or a
    /// closed connection during the handshake is a <see cref="ProbeFailure"/>.
    /// </summary>
    public async Task<TlsClientEngine> StartTlsAsync(TlsClientOptions options)
    {
        var engine = new TlsClientEngine(options);
        await SendRawAsync(engine.TakeOutput()).ConfigureAwait(false);
        while (!engine.Established && !engine.Failed)
        {
            var read = await ReadSocketAsync("the TLS handshake").ConfigureAwait(false);
            if (read == 0)
            {
                throw new ProbeFailure("the server closed the connection during the TLS handshake");
            }

            engine.Offer(_buffer, 0, read);
            AnsweredInClearText |= engine.Failed && read >= 3 && _buffer.AsSpan(0, 3).IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

            // After a failure this is the alert that tells the server why.
            await SendRawAsync(engine.TakeOutput()).ConfigureAwait(false);
        }

        if (engine.Established)
        {
            // R83: only bytes that came through TLS are framed from here on.
            _tls = engine;
            _replies = new ReplyAssembler();
            _replies.Append(engine.TakePlaintext());
        }

        return engine;
    }

    /// <summary>Sends close_notify if TLS is up, then closes the socket; errors on the way out are not news.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_tls is { Established: true })
        {
            _tls.Close();
            try
            {
                await SendRawAsync(_tls.TakeOutput()).ConfigureAwait(false);
            }
            catch (ProbeFailure)
            {
                // The server may already have closed after 221.
            }
        }

        _tcp.Dispose();
    }

    private async Task FillAsync(string waitingFor)
    {
        while (true)
        {
            var read = await ReadSocketAsync(waitingFor).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ProbeFailure($"the server closed the connection while we waited for {waitingFor}");
            }

            if (_tls is null)
            {
                _replies.Append(_buffer.AsSpan(0, read));
                return;
            }

            var progress = _tls.Offer(_buffer, 0, read);
            await SendRawAsync(_tls.TakeOutput()).ConfigureAwait(false);
            var plaintext = _tls.TakePlaintext();
            if (plaintext.Length > 0)
            {
                _replies.Append(plaintext);
                return;
            }

            if (progress is TlsProgress.Failed or TlsProgress.Closed)
            {
                throw new ProbeFailure(progress == TlsProgress.Failed
                    ? $"the TLS session failed while we waited for {waitingFor}: {_tls.FailureReason}"
                    : $"the server closed the TLS session while we waited for {waitingFor}");
            }
        }
    }

    private async Task<int> ReadSocketAsync(string waitingFor)
    {
        using var deadline = new CancellationTokenSource(_timeout);
        try
        {
            return await _stream.ReadAsync(_buffer, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new ProbeFailure(Invariant($"timeout after {_timeout.TotalSeconds}s waiting for {waitingFor}"));
        }
        catch (IOException e)
        {
            throw new ProbeFailure($"read error while waiting for {waitingFor}: {e.GetBaseException().Message}");
        }
    }

    private async Task SendRawAsync(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(_timeout);
        try
        {
            await _stream.WriteAsync(bytes, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new ProbeFailure(Invariant($"timeout after {_timeout.TotalSeconds}s sending to the server"));
        }
        catch (IOException e)
        {
            throw new ProbeFailure($"write error: {e.GetBaseException().Message}");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
