using System.Buffers.Binary;

namespace Gateway.Protocol.Tls;

/// <summary>
/// What a TLS 1.2 session needs to be resumed (RFC 5246 §7.3, RFC 5077 §4): its cipher suite, master secret and
/// extended-master-secret flag, the ServerHello extensions to repeat, and what the first handshake learnt about
/// the client (whether a certificate was asked for, and the chain it sent), so that a resumed session has the
/// same <c>{verify}</c> and <c>{cert_*}</c> macros (re-judged when resumed: a CRL may have changed since).
/// Encoded for a ticket or the node's session cache; the encoding is ours and versioned.
/// </summary>
public sealed record ResumableSession(
    int CipherSuite,
    byte[] MasterSecret,
    bool ExtendedMasterSecret,
    IReadOnlyDictionary<int, byte[]> ServerExtensions,
    bool CertificateRequested,
    IReadOnlyList<byte[]> PeerChain,
    DateTimeOffset Issued)
{
    private const byte FormatVersion = 1;

    // A chain of more than this many certificates is not a client's: a ticket claiming more is not ours.
    private const int MaxChain = 16;

    public byte[] Encode()
    {
        using var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        writer.Write(FormatVersion);
        writer.Write(CipherSuite);
        writer.Write(Issued.ToUnixTimeSeconds());
        writer.Write(ExtendedMasterSecret);
        writer.Write(CertificateRequested);
        WriteBytes(writer, MasterSecret);
        writer.Write(ServerExtensions.Count);
        foreach (var (type, data) in ServerExtensions)
        {
            writer.Write(type);
            WriteBytes(writer, data);
        }

        writer.Write(PeerChain.Count);
        foreach (var certificate in PeerChain)
        {
            WriteBytes(writer, certificate);
        }

        writer.Flush();
        return output.ToArray();
    }

    /// <summary>The session, or null when <paramref name="encoded"/> is not one of ours (only ever after decryption succeeded).</summary>
    public static ResumableSession? Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new SpanReader(encoded);
        if (!reader.Byte(out var version) || version != FormatVersion
            || !reader.Int32(out var suite) || !reader.Int64(out var issued)
            || !reader.Bool(out var ems) || !reader.Bool(out var requested)
            || !reader.Bytes(out var masterSecret) || masterSecret.Length != 48
            || !reader.Int32(out var extensionCount) || extensionCount is < 0 or > 64)
        {
            return null;
        }

        var extensions = new Dictionary<int, byte[]>();
        for (var i = 0; i < extensionCount; i++)
        {
            if (!reader.Int32(out var type) || !reader.Bytes(out var data))
            {
                return null;
            }

            extensions[type] = data;
        }

        if (!reader.Int32(out var chainCount) || chainCount is < 0 or > MaxChain)
        {
            return null;
        }

        var chain = new List<byte[]>(chainCount);
        for (var i = 0; i < chainCount; i++)
        {
            if (!reader.Bytes(out var certificate))
            {
                return null;
            }

            chain.Add(certificate);
        }

        return reader.AtEnd
            ? new ResumableSession(suite, masterSecret, ems, extensions, requested, chain, DateTimeOffset.FromUnixTimeSeconds(issued))
            : null;
    }

    private static void WriteBytes(BinaryWriter writer, byte[] bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>Little-endian reads matching <see cref="BinaryWriter"/>, each refusing to run past the end.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> span)
    {
        private ReadOnlySpan<byte> _rest = span;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool Byte(out byte value)
        {
            value = _rest.IsEmpty ? (byte)0 : _rest[0];
            return Advance(1);
        }

        public bool Bool(out bool value)
        {
            var ok = Byte(out var b);
            value = b == 1;
            return ok && b <= 1;
        }

        public bool Int32(out int value)
        {
            value = _rest.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(_rest) : 0;
            return Advance(4);
        }

        public bool Int64(out long value)
        {
            value = _rest.Length >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(_rest) : 0;
            return Advance(8);
        }

        public bool Bytes(out byte[] value)
        {
            value = [];
            if (!Int32(out var length) || length < 0 || length > _rest.Length)
            {
                return false;
            }

            value = _rest[..length].ToArray();
            return Advance(length);
        }

        private bool Advance(int count)
        {
            if (count > _rest.Length)
            {
                return false;
            }

            _rest = _rest[count..];
            return true;
        }
    }
}
