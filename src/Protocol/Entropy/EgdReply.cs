namespace Gateway.Protocol.Entropy;

/// <summary>
/// The client side of the EGD protocol as sendmail relies on it (SPEC R76, R77): send <c>01 FF</c>, read the count
/// byte, then exactly that many random bytes. Incremental: feed bytes as they arrive, and call
/// <see cref="EndOfStream"/> when the daemon closes. Never waits; the caller owns the socket and its 5 s deadline.
/// </summary>
public sealed class EgdReply
{
    /// <summary>R77 (gateway choice): at least 256 bits make a seed.</summary>
    public const int MinBytes = 32;

    /// <summary>Non-blocking read of up to 255 bytes: command 0x01, count 0xFF.</summary>
    public static ReadOnlyMemory<byte> ReadRequest { get; } = new byte[] { 0x01, 0xFF };

    private readonly List<byte> _data = [];
    private int _expected = -1;

    /// <summary>The random bytes once the reply is complete and long enough, else null.</summary>
    public byte[]? Seed { get; private set; }

    /// <summary>Why the reply cannot seed, once that is known; null while it may still succeed.</summary>
    public string? Failure { get; private set; }

    public bool Done => Seed is not null || Failure is not null;

    /// <summary>Takes the next bytes of the reply; anything after the announced count is ignored.</summary>
    public void Offer(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (Done)
            {
                return;
            }

            if (_expected < 0)
            {
                _expected = b;
                if (_expected == 0)
                {
                    Failure = "the daemon's pool is empty (count 0)";
                }

                continue;
            }

            _data.Add(b);
            if (_data.Count == _expected)
            {
                Complete();
            }
        }
    }

    /// <summary>The daemon closed the connection: a reply not yet complete is a short read (R77).</summary>
    public void EndOfStream()
    {
        if (!Done)
        {
            Failure = _expected < 0
                ? "the daemon closed the connection without a reply"
                : $"short read: {_data.Count} of {_expected} bytes";
        }
    }

    private void Complete()
    {
        if (_data.Count < MinBytes)
        {
            Failure = $"only {_data.Count} bytes (at least {MinBytes} needed)";
            return;
        }

        Seed = [.. _data];
    }
}
