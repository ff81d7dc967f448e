using Gateway.Protocol.Tls;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;

namespace Gateway.Protocol.Tests.Tls;

/// <summary>
/// <see cref="PlatformAesGcm"/> as BouncyCastle's record layer drives it: in place, tag after the ciphertext, and
/// byte-for-byte what BouncyCastle's GcmBlockCipher makes and accepts; a damaged record is bad_record_mac.
/// </summary>
public sealed class PlatformAesGcmTests
{
    private static readonly byte[] Nonce = Convert.FromHexString("00112233445566778899aabb");
    private static readonly byte[] Header = [23, 3, 3, 0, 50];

    [Theory]
    [InlineData(16, 0)]
    [InlineData(16, 1)]
    [InlineData(32, 34)]
    [InlineData(32, 2049)]
    public void Seals_in_place_as_BouncyCastle_does_and_opens_what_BouncyCastle_seals(int keySize, int length)
    {
        var random = new Random(keySize * 10_000 + length);
        var key = Bytes(random, keySize);
        var plaintext = Bytes(random, length);

        // Sealing in place, as TlsAeadCipher.EncodePlaintext does: the buffer holds the plaintext and room for the tag.
        var record = new byte[5 + length + 16];
        plaintext.CopyTo(record, 5);
        var sealer = Keyed(isEncrypting: true, key);
        Assert.Equal(length + 16, sealer.GetOutputSize(length));
        Assert.Equal(length + 16, sealer.DoFinal(Header, record, 5, length, record, 5));
        Assert.Equal(BouncyCastleSeal(key, plaintext), record[5..]);

        // Opening in place, as TlsAeadCipher.DecodeCiphertext does.
        var opener = Keyed(isEncrypting: false, key);
        Assert.Equal(length, opener.GetOutputSize(length + 16));
        Assert.Equal(length, opener.DoFinal(Header, record, 5, length + 16, record, 5));
        Assert.Equal(plaintext, record[5..(5 + length)]);
    }

    [Fact]
    public void A_damaged_record_or_other_additional_data_is_bad_record_mac()
    {
        var key = new byte[16];
        var sealedRecord = BouncyCastleSeal(key, [1, 2, 3, 4]);

        foreach (var (data, header) in new[]
                 {
                     (Flip(sealedRecord, 0), Header),
                     (Flip(sealedRecord, sealedRecord.Length - 1), Header),
                     (sealedRecord, new byte[] { 23, 3, 3, 0, 51 }),
                     (sealedRecord[..10], Header),
                 })
        {
            var opener = Keyed(isEncrypting: false, key);
            var alert = Assert.Throws<TlsFatalAlert>(() => opener.DoFinal(header, data, 0, data.Length, data, 0));
            Assert.Equal(AlertDescription.bad_record_mac, alert.AlertDescription);
        }
    }

    [Fact]
    public void A_new_key_takes_effect_at_the_next_record()
    {
        var first = new byte[16];
        var second = Enumerable.Repeat((byte)7, 16).ToArray();
        var cipher = Keyed(isEncrypting: true, first);
        var buffer = new byte[4 + 16];
        cipher.DoFinal(Header, buffer, 0, 4, buffer, 0);

        cipher.SetKey(second);
        cipher.Init(Nonce, 16, null!);
        var again = new byte[4 + 16];
        cipher.DoFinal(Header, again, 0, 4, again, 0);

        Assert.Equal(BouncyCastleSeal(second, new byte[4]), again);
    }

    private static PlatformAesGcm Keyed(bool isEncrypting, byte[] key)
    {
        var cipher = new PlatformAesGcm(isEncrypting);
        cipher.SetKey(key, 0, key.Length);
        cipher.Init(Nonce, 16, null!);
        return cipher;
    }

    private static byte[] BouncyCastleSeal(byte[] key, byte[] plaintext)
    {
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(true, new AeadParameters(new KeyParameter(key), 128, Nonce, Header));
        var output = new byte[gcm.GetOutputSize(plaintext.Length)];
        var length = gcm.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        gcm.DoFinal(output, length);
        return output;
    }

    private static byte[] Flip(byte[] data, int index)
    {
        var copy = data.ToArray();
        copy[index] ^= 1;
        return copy;
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
