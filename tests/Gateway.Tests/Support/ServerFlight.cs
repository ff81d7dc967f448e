using System.Buffers.Binary;

namespace Gateway.Tests.Support;

/// <summary>
/// The clear-text part of a TLS server's first flight, read from the wire (RFC 8446 §4.1.3, RFC 5246 §7.4.3): the
/// server random and the server's ephemeral public key, from the TLS 1.3 key_share extension or the TLS 1.2
/// ServerKeyExchange. Both are drawn from the server's random generator.
/// </summary>
internal sealed record ServerFlight(int Version, byte[] Random, int Group, byte[] PublicKey)
{
    private const byte HandshakeRecord = 22;
    private const byte ServerHello = 2;
    private const byte ServerKeyExchange = 12;
    private const int SupportedVersions = 0x002B;
    private const int KeyShare = 0x0033;
    private const byte NamedCurve = 3;

    public static ServerFlight Parse(ReadOnlySpan<byte> wire)
    {
        var handshake = HandshakeBytes(wire);
        int? version = null;
        byte[]? random = null;
        int group = 0;
        byte[]? key = null;
        while (handshake.Length >= 4)
        {
            var type = handshake[0];
            var length = (handshake[1] << 16) | (handshake[2] << 8) | handshake[3];
            var body = handshake.Slice(4, length);
            handshake = handshake[(4 + length)..];
            if (type == ServerHello)
            {
                version = BinaryPrimitives.ReadUInt16BigEndian(body);
                random = body.Slice(2, 32).ToArray();
                var rest = body[34..];
                rest = rest[(1 + rest[0])..]; // legacy_session_id_echo
                rest = rest[3..]; // cipher_suite, legacy_compression_method
                var extensions = rest.Slice(2, BinaryPrimitives.ReadUInt16BigEndian(rest));
                while (extensions.Length >= 4)
                {
                    var extension = BinaryPrimitives.ReadUInt16BigEndian(extensions);
                    var data = extensions.Slice(4, BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]));
                    extensions = extensions[(4 + data.Length)..];
                    if (extension == SupportedVersions)
                    {
                        version = BinaryPrimitives.ReadUInt16BigEndian(data);
                    }
                    else if (extension == KeyShare)
                    {
                        group = BinaryPrimitives.ReadUInt16BigEndian(data);
                        key = data.Slice(4, BinaryPrimitives.ReadUInt16BigEndian(data[2..])).ToArray();
                    }
                }
            }
            else if (type == ServerKeyExchange && body[0] == NamedCurve)
            {
                group = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
                key = body.Slice(4, body[3]).ToArray();
            }
        }

        if (version is null || random is null || key is null)
        {
            throw new InvalidDataException("no ServerHello with an ephemeral key in the server's clear-text flight");
        }

        return new ServerFlight(version.Value, random, group, key);
    }

    /// <summary>The handshake messages of the leading handshake records, joined (a message may span records).</summary>
    private static ReadOnlySpan<byte> HandshakeBytes(ReadOnlySpan<byte> wire)
    {
        var joined = new List<byte>();
        while (wire.Length >= 5 && wire[0] == HandshakeRecord)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(wire[3..]);
            joined.AddRange(wire.Slice(5, length));
            wire = wire[(5 + length)..];
        }

        return joined.ToArray();
    }
}
