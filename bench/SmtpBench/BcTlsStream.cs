using Gateway.Protocol.Tls;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Bench;

/// <summary>
/// A TLS client stream over the gateway's own BouncyCastle client engine: a cheaper load generator
/// than SslStream on a machine where the client shares the cores with the server under test.
/// </summary>
internal sealed class BcTlsStream(Stream inner, TlsClientEngine engine) : Stream
{
    private static readonly BcTlsCrypto Crypto = new(new SecureRandom());
    private readonly byte[] _buffer = new byte[16384];
    private byte[] _plaintext = [];
    private int _offset;

    public static async Task<BcTlsStream> ConnectAsync(Stream inner, string serverName)
    {
        var engine = new TlsClientEngine(new TlsClientOptions(serverName, null, PeerVerifier.TrustNothing(TimeProvider.System), DnFormat.OpenSsl3, Crypto));
        var stream = new BcTlsStream(inner, engine);
        await stream.FlushEngineAsync();
        while (!engine.Established)
        {
            await stream.PumpAsync();
        }

        return stream;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == _plaintext.Length)
        {
            // The last reply (221) may arrive in the same read as close_notify: take it first.
            var open = await PumpAsync();
            _plaintext = engine.TakePlaintext();
            _offset = 0;
            if (!open && _plaintext.Length == 0)
            {
                return 0;
            }
        }

        var count = Math.Min(buffer.Length, _plaintext.Length - _offset);
        _plaintext.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        engine.Write(buffer.Span);
        await FlushEngineAsync();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads one chunk from the socket into the engine; false at end of stream or failure.</summary>
    private async Task<bool> PumpAsync()
    {
        var read = await inner.ReadAsync(_buffer);
        if (read == 0)
        {
            return false;
        }

        var progress = engine.Offer(_buffer, 0, read);
        await FlushEngineAsync();
        return progress switch
        {
            TlsProgress.Failed => throw new IOException($"TLS failed: {engine.FailureReason}"),
            TlsProgress.Closed => false,
            _ => true,
        };
    }

    private async Task FlushEngineAsync()
    {
        var output = engine.TakeOutput();
        if (output.Length > 0)
        {
            await inner.WriteAsync(output);
        }
    }
}
