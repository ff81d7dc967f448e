using System.Collections;
using System.Reflection;
using System.Text;
using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

namespace Gateway.Protocol.Tests.Tls;

/// <summary>
/// <see cref="PlatformTlsCrypto"/>: TLS 1.3 ecdsa_secp256r1_sha256 CertificateVerify checked by the platform's
/// ECDsa, everything else by BouncyCastle, with the same verdicts as BouncyCastle.
/// </summary>
public sealed class PlatformTlsCryptoTests
{
    private static readonly SecureRandom Random = new();
    private static readonly PlatformTlsCrypto Crypto = new(new SecureRandom());
    private static readonly BcTlsCrypto BouncyCastle = new(new SecureRandom());

    private static readonly AsymmetricCipherKeyPair P256Key = EcKey(SecObjectIdentifiers.SecP256r1);
    private static readonly AsymmetricCipherKeyPair OtherP256Key = EcKey(SecObjectIdentifiers.SecP256r1);
    private static readonly AsymmetricCipherKeyPair P384Key = EcKey(SecObjectIdentifiers.SecP384r1);
    private static readonly AsymmetricCipherKeyPair RsaKey = NewRsaKey();
    private static readonly AsymmetricCipherKeyPair Ed25519Key = NewEd25519Key();

    private static readonly byte[] P256Certificate = SelfSigned(P256Key, "SHA256WITHECDSA", KeyUsage.DigitalSignature);

    /// <summary>What BouncyCastle writes into a TLS 1.3 CertificateVerify: 64 spaces, the context string, a zero, the transcript hash.</summary>
    private static readonly byte[] Content =
    [
        .. Enumerable.Repeat((byte)0x20, 64),
        .. Encoding.ASCII.GetBytes("TLS 1.3, server CertificateVerify"),
        0,
        .. Enumerable.Range(0, 32).Select(i => (byte)(i * 7)),
    ];

    [Fact]
    public void A_P256_certificate_gets_the_platform_verifier_for_ecdsa_secp256r1_sha256()
    {
        var verifier = Crypto.CreateCertificate(P256Certificate).CreateVerifier(SignatureScheme.ecdsa_secp256r1_sha256);

        Assert.Equal("Gateway.Protocol.Tls", verifier.GetType().Namespace);
    }

    [Fact]
    public void The_crypto_makes_platform_certificates_only_for_X509()
    {
        var rawKey = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(P256Key.Public).GetEncoded();

        Assert.Equal("Gateway.Protocol.Tls", Crypto.CreateCertificate(P256Certificate).GetType().Namespace);
        Assert.Equal("Gateway.Protocol.Tls", Crypto.CreateCertificate(CertificateType.X509, P256Certificate).GetType().Namespace);
        Assert.StartsWith("Org.BouncyCastle.", Crypto.CreateCertificate(CertificateType.RawPublicKey, rawKey).GetType().Namespace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_correct_signature_verifies_when_the_content_comes_in_one_write()
    {
        var signature = Sign(P256Key, "SHA256withECDSA", Content);

        Assert.True(PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content));
    }

    [Fact]
    public void A_correct_signature_verifies_when_the_content_comes_in_many_writes_of_every_kind()
    {
        var signature = Sign(P256Key, "SHA256withECDSA", Content);
        var verifier = Crypto.CreateCertificate(P256Certificate).CreateVerifier(SignatureScheme.ecdsa_secp256r1_sha256);
        var stream = verifier.Stream;

        // Array with offset, span, single bytes, an empty write, then the rest: SHA-256 of the whole either way.
        var padded = new byte[70];
        Array.Copy(Content, 0, padded, 3, 64);
        stream.Write(padded, 3, 64);
        stream.Write(Content.AsSpan(64, 10));
        stream.WriteByte(Content[74]);
        stream.WriteByte(Content[75]);
        stream.Write([], 0, 0);
        stream.Write(Content, 76, Content.Length - 76);
        stream.Flush();

        Assert.True(stream.CanWrite);
        Assert.False(stream.CanRead);
        Assert.True(verifier.VerifySignature(signature));
    }

    [Fact]
    public void A_correct_signature_verifies_after_the_stream_is_disposed_as_BouncyCastle_may_do()
    {
        var signature = Sign(P256Key, "SHA256withECDSA", Content);
        var verifier = Crypto.CreateCertificate(P256Certificate).CreateVerifier(SignatureScheme.ecdsa_secp256r1_sha256);
        var stream = verifier.Stream;
        stream.Write(Content, 0, Content.Length);

        stream.Dispose();

        Assert.True(verifier.VerifySignature(signature));
    }

    [Fact]
    public void Tampered_content_does_not_verify()
    {
        var signature = Sign(P256Key, "SHA256withECDSA", Content);
        var tampered = (byte[])Content.Clone();
        tampered[^1] ^= 0x01;

        Assert.False(PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, tampered));
    }

    [Fact]
    public void Missing_content_does_not_verify()
    {
        var signature = Sign(P256Key, "SHA256withECDSA", Content);

        Assert.False(PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content.AsSpan(0, Content.Length - 1).ToArray()));
    }

    [Fact]
    public void A_signature_by_another_key_does_not_verify()
    {
        var signature = Sign(OtherP256Key, "SHA256withECDSA", Content);

        Assert.False(PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content));
    }

    [Fact]
    public void A_signature_over_SHA384_does_not_verify_under_the_SHA256_scheme()
    {
        var signature = Sign(P256Key, "SHA384withECDSA", Content);

        Assert.False(PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content));
    }

    /// <summary>
    /// Malformed signature bytes give false, not an exception (an exception would also be safe: BouncyCastle
    /// turns anything thrown by the verifier into a decrypt_error alert), and BouncyCastle's own verifier agrees.
    /// </summary>
    [Theory]
    [InlineData("empty")]
    [InlineData("one zero byte")]
    [InlineData("garbage")]
    [InlineData("truncated DER")]
    [InlineData("DER with a trailing byte")]
    [InlineData("IEEE P1363 r||s instead of DER")]
    [InlineData("non-minimal INTEGER")]
    [InlineData("BER long-form length")]
    [InlineData("r = 0")]
    [InlineData("s = n")]
    [InlineData("r and s swapped")]
    public void Malformed_signature_bytes_give_false_without_throwing_as_in_BouncyCastle(string kind)
    {
        var signature = Malformed(kind, Sign(P256Key, "SHA256withECDSA", Content));

        var platform = PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content);

        Assert.False(platform);
        Assert.False(BouncyCastleVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content));
    }

    /// <summary>ECDSA is malleable: (r, n - s) is valid too. Neither side enforces low S, so both accept it.</summary>
    [Fact]
    public void The_high_S_twin_of_a_signature_verifies_as_in_BouncyCastle()
    {
        var (r, s) = Decode(Sign(P256Key, "SHA256withECDSA", Content));
        var twin = new DerSequence(new DerInteger(r), new DerInteger(Curve("P-256").N.Subtract(s))).GetEncoded();

        Assert.True(BouncyCastleVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, twin, Content));
        Assert.True(PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, twin, Content));
    }

    [Fact]
    public void One_certificate_verifies_correctly_a_hundred_times_on_one_thread()
    {
        for (var i = 0; i < 100; i++)
        {
            var content = Variant(i);
            var signature = Sign(P256Key, "SHA256withECDSA", content);
            var certificate = Crypto.CreateCertificate(P256Certificate);

            Assert.True(Verify(certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, content), $"verification {i}");
            Assert.False(Verify(certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Variant(i + 1)), $"verification {i} of other content");
        }
    }

    [Fact]
    public void More_keys_than_the_per_thread_cache_holds_still_verify_correctly_through_its_eviction()
    {
        // 40 > 32 keys, twice round: the second round finds some keys evicted and imports them again.
        var keys = Enumerable.Range(0, 40).Select(_ => EcKey(SecObjectIdentifiers.SecP256r1)).ToArray();
        var certificates = keys.Select(k => SelfSigned(k, "SHA256WITHECDSA", KeyUsage.DigitalSignature)).ToArray();

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var signature = Sign(keys[i].Private, "SHA256withECDSA", Content);
                var neighbour = Sign(keys[(i + 1) % keys.Length].Private, "SHA256withECDSA", Content);

                Assert.True(PlatformVerify(certificates[i], SignatureScheme.ecdsa_secp256r1_sha256, signature, Content), $"round {round}, key {i}");
                Assert.False(PlatformVerify(certificates[i], SignatureScheme.ecdsa_secp256r1_sha256, neighbour, Content), $"round {round}, key {i}, neighbour's signature");
            }
        }
    }

    [Fact]
    public void Verifiers_from_several_threads_each_verify_with_their_own_cache()
    {
        var signature = Sign(P256Key, "SHA256withECDSA", Content);
        var verdicts = new bool[4];
        var threads = Enumerable.Range(0, verdicts.Length).Select(i => new Thread(() =>
        {
            var ok = true;
            for (var n = 0; n < 10; n++)
            {
                ok &= PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content);
                ok &= !PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Variant(n));
            }

            verdicts[i] = ok;
        })).ToArray();

        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.All(verdicts, v => Assert.True(v));
    }

    [Fact]
    public void A_P384_certificate_with_ecdsa_secp384r1_sha384_falls_back_to_BouncyCastle_and_verifies()
    {
        var certificate = SelfSigned(P384Key, "SHA384WITHECDSA", KeyUsage.DigitalSignature);
        var signature = Sign(P384Key, "SHA384withECDSA", Content);

        AssertBouncyCastleVerifier(certificate, SignatureScheme.ecdsa_secp384r1_sha384);
        Assert.True(PlatformVerify(certificate, SignatureScheme.ecdsa_secp384r1_sha384, signature, Content));
        Assert.False(PlatformVerify(certificate, SignatureScheme.ecdsa_secp384r1_sha384, signature, Variant(1)));
    }

    [Fact]
    public void A_P384_certificate_asked_for_ecdsa_secp256r1_sha256_goes_to_BouncyCastle()
    {
        var certificate = SelfSigned(P384Key, "SHA384WITHECDSA", KeyUsage.DigitalSignature);
        var signature = Sign(P384Key, "SHA256withECDSA", Content);

        AssertBouncyCastleVerifier(certificate, SignatureScheme.ecdsa_secp256r1_sha256);
        Assert.Equal(
            BouncyCastleVerify(certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content),
            PlatformVerify(certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content));
    }

    [Fact]
    public void A_P256_certificate_asked_for_another_scheme_goes_to_BouncyCastle()
    {
        var signature = Sign(P256Key, "SHA384withECDSA", Content);

        AssertBouncyCastleVerifier(P256Certificate, SignatureScheme.ecdsa_secp384r1_sha384);
        Assert.Equal(
            BouncyCastleVerify(P256Certificate, SignatureScheme.ecdsa_secp384r1_sha384, signature, Content),
            PlatformVerify(P256Certificate, SignatureScheme.ecdsa_secp384r1_sha384, signature, Content));
    }

    [Fact]
    public void An_RSA_certificate_with_rsa_pss_rsae_sha256_falls_back_to_BouncyCastle_and_verifies()
    {
        var certificate = SelfSigned(RsaKey, "SHA256WITHRSA", KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment);
        var signature = Sign(RsaKey, "SHA256withRSAandMGF1", Content);

        AssertBouncyCastleVerifier(certificate, SignatureScheme.rsa_pss_rsae_sha256);
        Assert.True(PlatformVerify(certificate, SignatureScheme.rsa_pss_rsae_sha256, signature, Content));
        Assert.False(PlatformVerify(certificate, SignatureScheme.rsa_pss_rsae_sha256, signature, Variant(1)));
    }

    [Fact]
    public void An_RSA_certificate_asked_for_ecdsa_secp256r1_sha256_is_refused_as_by_BouncyCastle()
    {
        var certificate = SelfSigned(RsaKey, "SHA256WITHRSA", KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment);

        var expected = Assert.ThrowsAny<TlsFatalAlert>(() => BouncyCastle.CreateCertificate(certificate).CreateVerifier(SignatureScheme.ecdsa_secp256r1_sha256));
        var actual = Assert.ThrowsAny<TlsFatalAlert>(() => Crypto.CreateCertificate(certificate).CreateVerifier(SignatureScheme.ecdsa_secp256r1_sha256));

        Assert.Equal(expected.AlertDescription, actual.AlertDescription);
    }

    [Fact]
    public void An_Ed25519_certificate_falls_back_to_BouncyCastle_and_verifies()
    {
        var certificate = SelfSigned(Ed25519Key, "Ed25519", KeyUsage.DigitalSignature);
        var signature = Sign(Ed25519Key, "Ed25519", Content);

        AssertBouncyCastleVerifier(certificate, SignatureScheme.ed25519);
        Assert.True(PlatformVerify(certificate, SignatureScheme.ed25519, signature, Content));
        Assert.False(PlatformVerify(certificate, SignatureScheme.ed25519, signature, Variant(1)));
    }

    [Theory]
    [InlineData(KeyUsage.KeyCertSign | KeyUsage.CrlSign)]
    [InlineData(KeyUsage.KeyAgreement)]
    [InlineData(KeyUsage.NonRepudiation)]
    public void A_certificate_whose_key_usage_lacks_digitalSignature_is_refused_as_by_BouncyCastle(int usage)
    {
        var certificate = SelfSigned(P256Key, "SHA256WITHECDSA", usage);

        var expected = Assert.ThrowsAny<TlsFatalAlert>(() => BouncyCastle.CreateCertificate(certificate).CreateVerifier(SignatureScheme.ecdsa_secp256r1_sha256));
        var actual = Assert.ThrowsAny<TlsFatalAlert>(() => Crypto.CreateCertificate(certificate).CreateVerifier(SignatureScheme.ecdsa_secp256r1_sha256));

        Assert.Equal(AlertDescription.certificate_unknown, expected.AlertDescription);
        Assert.Equal(expected.AlertDescription, actual.AlertDescription);
    }

    [Fact]
    public void A_certificate_without_a_key_usage_extension_is_accepted_as_by_BouncyCastle()
    {
        var certificate = SelfSigned(P256Key, "SHA256WITHECDSA", usage: null);
        var signature = Sign(P256Key, "SHA256withECDSA", Content);

        Assert.True(BouncyCastleVerify(certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content));
        Assert.True(PlatformVerify(certificate, SignatureScheme.ecdsa_secp256r1_sha256, signature, Content));
    }

    [Theory]
    [InlineData(false, false, "TLSv1.3")]
    [InlineData(false, true, "TLSv1.2")]
    [InlineData(true, false, "TLSv1.3")]
    [InlineData(true, true, "TLSv1.2")]
    public void A_handshake_with_the_platform_crypto_on_both_sides_completes_and_both_sides_verify_OK(bool rsa, bool tls12Only, string version)
    {
        var pki = rsa ? RsaPki.Value : EcPki.Value;
        var server = new TlsServerEngine(ServerOptions(pki, request: true));
        var client = new TlsClientEngine(ClientOptions(pki, tls12Only) with { Credentials = pki.ClientCredentials });

        EnginePump.Run(client, server);

        Assert.True(client.Established, client.FailureReason);
        Assert.True(server.Established, server.FailureReason);
        Assert.Equal(version, client.Facts.Version);
        Assert.Equal("OK", client.Facts.Verify);
        Assert.Equal("OK", server.Facts.Verify);
        Assert.True(client.ClientCertificateSent, client.ClientCertificateNote);
        Assert.Equal("/CN=client.example.test", server.Facts.CertSubject);
    }

    [Fact]
    public void A_TLS13_handshake_with_a_P256_server_certificate_verifies_its_CertificateVerify_on_the_platform()
    {
        var pki = EcPki.Value;
        var server = new TlsServerEngine(ServerOptions(pki, request: false));
        var client = new TlsClientEngine(ClientOptions(pki, tls12Only: false));

        EnginePump.Run(client, server);

        Assert.True(client.Established, client.FailureReason);
        Assert.Equal("TLSv1.3", client.Facts.Version);
        Assert.Equal("OK", client.Facts.Verify);

        // The pump ran the whole handshake on this thread, so the server's key is in this thread's platform key cache.
        Assert.True(PlatformKeyCached(pki.ServerKeyPublic), "the server's P-256 key never reached the platform verifier");
    }


    private static bool PlatformVerify(byte[] certificate, int scheme, byte[] signature, byte[] content) =>
        Verify(Crypto.CreateCertificate(certificate), scheme, signature, content);

    private static bool BouncyCastleVerify(byte[] certificate, int scheme, byte[] signature, byte[] content) =>
        Verify(BouncyCastle.CreateCertificate(certificate), scheme, signature, content);

    /// <summary>As BouncyCastle's TLS 1.3 CertificateVerify check uses a verifier: write, close the stream, ask.</summary>
    private static bool Verify(TlsCertificate certificate, int scheme, byte[] signature, byte[] content)
    {
        var verifier = certificate.CreateVerifier(scheme);
        var stream = verifier.Stream;
        stream.Write(content, 0, content.Length);
        stream.Dispose();
        return verifier.VerifySignature(signature);
    }

    private static void AssertBouncyCastleVerifier(byte[] certificate, int scheme)
    {
        var type = Crypto.CreateCertificate(certificate).CreateVerifier(scheme).GetType();
        Assert.StartsWith("Org.BouncyCastle.", type.Namespace, StringComparison.Ordinal);
    }

    private static byte[] Sign(AsymmetricCipherKeyPair key, string algorithm, byte[] content) => Sign(key.Private, algorithm, content);

    private static byte[] Sign(AsymmetricKeyParameter key, string algorithm, byte[] content)
    {
        var signer = SignerUtilities.GetSigner(algorithm);
        signer.Init(true, key);
        signer.BlockUpdate(content, 0, content.Length);
        return signer.GenerateSignature();
    }

    private static byte[] Variant(int i) => [.. Content, .. BitConverter.GetBytes(i)];

    private static (BigInteger R, BigInteger S) Decode(byte[] der)
    {
        var sequence = Asn1Sequence.GetInstance(der);
        return (DerInteger.GetInstance(sequence[0]).Value, DerInteger.GetInstance(sequence[1]).Value);
    }

    private static byte[] Malformed(string kind, byte[] good)
    {
        var (r, s) = Decode(good);
        return kind switch
        {
            "empty" => [],
            "one zero byte" => [0],
            "garbage" => [.. Enumerable.Range(0, 72).Select(i => (byte)(i * 37 + 11))],
            "truncated DER" => good[..^1],
            "DER with a trailing byte" => [.. good, 0],
            "IEEE P1363 r||s instead of DER" => [.. r.ToByteArrayUnsigned().PadLeft(32), .. s.ToByteArrayUnsigned().PadLeft(32)],
            "non-minimal INTEGER" => Sequence([0, .. r.ToByteArray()], s.ToByteArray()),
            "BER long-form length" => [0x30, 0x81, .. good[1..]],
            "r = 0" => new DerSequence(new DerInteger(BigInteger.Zero), new DerInteger(s)).GetEncoded(),
            "s = n" => new DerSequence(new DerInteger(r), new DerInteger(Curve("P-256").N)).GetEncoded(),
            "r and s swapped" => new DerSequence(new DerInteger(s), new DerInteger(r)).GetEncoded(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>A SEQUENCE of two INTEGERs with the contents given as is (short lengths only).</summary>
    private static byte[] Sequence(byte[] r, byte[] s) => [0x30, (byte)(4 + r.Length + s.Length), 0x02, (byte)r.Length, .. r, 0x02, (byte)s.Length, .. s];

    private static Org.BouncyCastle.Asn1.X9.X9ECParameters Curve(string name) => Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetByName(name);

    /// <summary>Whether this thread's platform key cache holds the key (read by reflection: the cache is private).</summary>
    private static bool PlatformKeyCached(ECPublicKeyParameters key)
    {
        var type = typeof(PlatformTlsCrypto).Assembly.GetType("Gateway.Protocol.Tls.PlatformVerifyingCertificate", throwOnError: true)!;
        var field = type.GetField("_recentKeys", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("PlatformVerifyingCertificate._recentKeys is gone: update this test");
        return field.GetValue(null) is IDictionary cache && cache.Contains(Convert.ToBase64String(key.Q.Normalize().GetEncoded(false)));
    }

    private static AsymmetricCipherKeyPair EcKey(DerObjectIdentifier curve)
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(curve, Random));
        return generator.GenerateKeyPair();
    }

    private static AsymmetricCipherKeyPair NewRsaKey()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, 2048, 80));
        return generator.GenerateKeyPair();
    }

    private static AsymmetricCipherKeyPair NewEd25519Key()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(Random));
        return generator.GenerateKeyPair();
    }

    /// <summary>A self-signed leaf, DER; <paramref name="usage"/> null leaves the key usage extension out.</summary>
    private static byte[] SelfSigned(AsymmetricCipherKeyPair key, string algorithm, int? usage)
    {
        var name = new X509Name("CN=platform.example.test");
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(64, Random).Add(BigInteger.One));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(DateTime.UtcNow.AddHours(-1));
        generator.SetNotAfter(DateTime.UtcNow.AddDays(30));
        generator.SetPublicKey(key.Public);
        if (usage is { } bits)
        {
            generator.AddExtension(X509Extensions.KeyUsage, critical: true, new KeyUsage(bits));
        }

        return generator.Generate(new Asn1SignatureFactory(algorithm, key.Private, Random)).GetEncoded();
    }

    private static readonly Lazy<Pki> EcPki = new(() => new Pki(rsa: false));
    private static readonly Lazy<Pki> RsaPki = new(() => new Pki(rsa: true));

    private static TlsServerOptions ServerOptions(Pki pki, bool request) => new(
        new ServerCredentials([X509CertificateStructure.GetInstance(pki.ServerLeaf.GetEncoded())], pki.ServerKey.Private),
        [X509Name.GetInstance(pki.Root.SubjectDN.ToAsn1Object())],
        new PeerVerifier([pki.Root], [], TimeProvider.System),
        request,
        DnFormat.OpenSsl3,
        new PlatformTlsCrypto(new SecureRandom()));

    private static TlsClientOptions ClientOptions(Pki pki, bool tls12Only) =>
        new("mx.example.test", null, new PeerVerifier([pki.Root], [], TimeProvider.System), DnFormat.OpenSsl3, new PlatformTlsCrypto(new SecureRandom()))
        {
            Versions = tls12Only ? ProtocolVersion.TLSv12.Only() : ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12),
        };

    /// <summary>A root CA with a server leaf (CN mx.example.test) and a client leaf (CN client.example.test).</summary>
    private sealed class Pki
    {
        public Pki(bool rsa)
        {
            var rootKey = NewKey(rsa);
            Root = Certificate("Platform Test CA", rootKey.Public, rootKey.Private, ca: true, rsa);
            ServerKey = NewKey(rsa);
            ServerLeaf = Certificate("mx.example.test", ServerKey.Public, rootKey.Private, ca: false, rsa);
            var clientKey = NewKey(rsa);
            var clientLeaf = Certificate("client.example.test", clientKey.Public, rootKey.Private, ca: false, rsa);
            ClientCredentials = new([X509CertificateStructure.GetInstance(clientLeaf.GetEncoded())], clientKey.Private);
        }

        public X509Certificate Root { get; }

        public X509Certificate ServerLeaf { get; }

        public AsymmetricCipherKeyPair ServerKey { get; }

        public ECPublicKeyParameters ServerKeyPublic => (ECPublicKeyParameters)ServerKey.Public;

        public TlsClientCredentials ClientCredentials { get; }

        private static AsymmetricCipherKeyPair NewKey(bool rsa) => rsa ? NewRsaKey() : EcKey(SecObjectIdentifiers.SecP256r1);

        private static X509Certificate Certificate(string subject, AsymmetricKeyParameter publicKey, AsymmetricKeyParameter issuerKey, bool ca, bool rsa)
        {
            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(new BigInteger(64, Random).Add(BigInteger.One));
            generator.SetIssuerDN(new X509Name("CN=Platform Test CA"));
            generator.SetSubjectDN(new X509Name($"CN={subject}"));
            generator.SetNotBefore(DateTime.UtcNow.AddHours(-1));
            generator.SetNotAfter(DateTime.UtcNow.AddDays(30));
            generator.SetPublicKey(publicKey);
            generator.AddExtension(X509Extensions.BasicConstraints, critical: true, new BasicConstraints(ca));
            generator.AddExtension(
                X509Extensions.KeyUsage, critical: true,
                new KeyUsage(ca ? KeyUsage.KeyCertSign | KeyUsage.CrlSign : KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment));
            return generator.Generate(new Asn1SignatureFactory(rsa ? "SHA256WITHRSA" : "SHA256WITHECDSA", issuerKey, Random));
        }
    }
}

/// <summary>Left-padding for the raw r||s encoding.</summary>
internal static class PlatformTlsCryptoTestBytes
{
    public static byte[] PadLeft(this byte[] value, int length) => value.Length >= length ? value : [.. new byte[length - value.Length], .. value];
}
