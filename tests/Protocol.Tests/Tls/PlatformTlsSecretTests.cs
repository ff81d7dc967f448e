using Gateway.Protocol.Tls;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Gateway.Protocol.Tests.Tls;

/// <summary>
/// <see cref="PlatformTlsSecret"/>: the TLS 1.3 key schedule's HKDF and HMAC on the platform give BouncyCastle's bytes,
/// RFC 5869's vectors, and BouncyCastle's secret semantics (a salt is used up, input keying material is not).
/// </summary>
public sealed class PlatformTlsSecretTests
{
    private static readonly PlatformTlsCrypto Crypto = new(new SecureRandom());
    private static readonly BcTlsCrypto BouncyCastle = new(new SecureRandom());

    [Fact]
    public void The_key_schedule_starts_on_the_platform()
    {
        Assert.IsType<PlatformTlsSecret>(Crypto.HkdfInit(CryptoHashAlgorithm.sha384));
        Assert.Equal(new byte[48], Crypto.HkdfInit(CryptoHashAlgorithm.sha384).Extract());
    }

    [Fact]
    public void RFC_5869_test_case_1_extract_then_expand()
    {
        // RFC 5869 A.1 (SHA-256): IKM 22 × 0x0b, salt 0x00..0x0c, info 0xf0..0xf9, L 42.
        var salt = new PlatformTlsSecret(Crypto, Convert.FromHexString("000102030405060708090a0b0c"));
        var ikm = new PlatformTlsSecret(Crypto, Enumerable.Repeat((byte)0x0b, 22).ToArray());

        var prk = salt.HkdfExtract(CryptoHashAlgorithm.sha256, ikm);
        var okm = prk.HkdfExpand(CryptoHashAlgorithm.sha256, Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9"), 42);

        Assert.Equal("3CB25F25FAACD57A90434F64D0362F2A2D2D0A90CF1A5A4C5DB02D56ECC4C5BF34007208D5B887185865", Convert.ToHexString(okm.Extract()));
    }

    [Theory]
    [InlineData(CryptoHashAlgorithm.sha256, 16)]
    [InlineData(CryptoHashAlgorithm.sha256, 32)]
    [InlineData(CryptoHashAlgorithm.sha256, 100)]
    [InlineData(CryptoHashAlgorithm.sha384, 12)]
    [InlineData(CryptoHashAlgorithm.sha384, 48)]
    [InlineData(CryptoHashAlgorithm.sha384, 200)]
    public void Expand_extract_and_HMAC_give_BouncyCastle_s_bytes(int hash, int length)
    {
        var random = new Random(hash * 1000 + length);
        var size = TlsCryptoUtilities.GetHashOutputSize(hash);
        var key = Bytes(random, size);
        var info = Bytes(random, 30);
        var ikm = Bytes(random, 32);
        var message = Bytes(random, 77);

        Assert.Equal(
            new BcTlsSecret(BouncyCastle, key.ToArray()).HkdfExpand(hash, info, length).Extract(),
            new PlatformTlsSecret(Crypto, key.ToArray()).HkdfExpand(hash, info, length).Extract());
        Assert.Equal(
            new BcTlsSecret(BouncyCastle, key.ToArray()).HkdfExtract(hash, new BcTlsSecret(BouncyCastle, ikm.ToArray())).Extract(),
            new PlatformTlsSecret(Crypto, key.ToArray()).HkdfExtract(hash, new BcTlsSecret(BouncyCastle, ikm.ToArray())).Extract());
        Assert.Equal(
            new BcTlsSecret(BouncyCastle, key.ToArray()).CalculateHmac(hash, message, 3, 70),
            new PlatformTlsSecret(Crypto, key.ToArray()).CalculateHmac(hash, message, 3, 70));
    }

    [Fact]
    public void A_derived_secret_stays_on_the_platform_and_a_salt_is_used_up_but_not_the_input()
    {
        var zeros = Crypto.HkdfInit(CryptoHashAlgorithm.sha256);
        var salt = Crypto.HkdfInit(CryptoHashAlgorithm.sha256);

        var early = salt.HkdfExtract(CryptoHashAlgorithm.sha256, zeros);

        Assert.IsType<PlatformTlsSecret>(early);
        Assert.IsType<PlatformTlsSecret>(early.HkdfExpand(CryptoHashAlgorithm.sha256, new byte[] { 1, 2, 3 }, 32));
        Assert.False(salt.IsAlive());
        // RFC 8446 §7.1 uses the zero secret twice (early secret, master secret): as BouncyCastle's, it stays alive.
        Assert.True(zeros.IsAlive());
    }

    [Fact]
    public void Empty_output_and_the_RFC_5869_bound_are_BouncyCastle_s_answers()
    {
        var prk = new PlatformTlsSecret(Crypto, new byte[32]);

        Assert.Empty(prk.HkdfExpand(CryptoHashAlgorithm.sha256, new byte[] { 1 }, 0).Extract());
        Assert.Throws<ArgumentException>(() => prk.HkdfExpand(CryptoHashAlgorithm.sha256, new byte[] { 1 }, 255 * 32 + 1));
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
