using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Protocol.Tls;

/// <summary>
/// The keys that seal session tickets (RFC 5077 §4), rotated every <see cref="Rotation"/>: the key of period
/// <c>p</c> (<c>p = unix time / rotation</c>) is HKDF-SHA256 of one secret with <c>p</c> in its info, so every node
/// that holds the same secret (Tls:SessionTicketKeyFile) derives the same key for the same period, with no key
/// ever sent between nodes and no state to keep. A ticket names its period in its first 16 bytes (the key
/// name, itself derived, so it tells nothing about the secret); tickets of the current and the previous period
/// open (as Postfix accepts its previous ticket key), anything older does not.
/// </summary>
public sealed class SessionTicketKeys
{
    public const int NameLength = 16;
    public const int KeyLength = 32;
    private static readonly byte[] NameLabel = Encoding.ASCII.GetBytes("gateway tls ticket name v1");
    private static readonly byte[] KeyLabel = Encoding.ASCII.GetBytes("gateway tls ticket key v1");

    private readonly byte[] _secret;

    public SessionTicketKeys(byte[] secret, TimeSpan rotation)
    {
        if (secret.Length < KeyLength)
        {
            throw new ArgumentException($"a ticket secret needs at least {KeyLength} bytes, this one has {secret.Length}", nameof(secret));
        }

        if (rotation < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(rotation), rotation, "the rotation must be at least a second");
        }

        _secret = secret.ToArray();
        Rotation = rotation;
    }

    public TimeSpan Rotation { get; }

    /// <summary>The key to seal new tickets with at <paramref name="now"/>.</summary>
    public (byte[] Name, byte[] Key) Current(DateTimeOffset now) => ForPeriod(Period(now));

    /// <summary>The key a ticket named <paramref name="name"/> was sealed with, if it is this period's or the previous one's.</summary>
    public byte[]? Find(ReadOnlySpan<byte> name, DateTimeOffset now)
    {
        var period = Period(now);
        foreach (var candidate in new[] { period, period - 1 })
        {
            var (keyName, key) = ForPeriod(candidate);
            if (CryptographicOperations.FixedTimeEquals(keyName, name))
            {
                return key;
            }
        }

        return null;
    }

    private long Period(DateTimeOffset now) => now.ToUnixTimeSeconds() / (long)Rotation.TotalSeconds;

    private (byte[] Name, byte[] Key) ForPeriod(long period) =>
        (Derive(NameLabel, period, NameLength), Derive(KeyLabel, period, KeyLength));

    private byte[] Derive(byte[] label, long period, int length)
    {
        var info = new byte[label.Length + 8];
        label.CopyTo(info, 0);
        BinaryPrimitives.WriteInt64BigEndian(info.AsSpan(label.Length), period);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, length, salt: null, info);
    }
}
