using System.Runtime.Versioning;
using Gateway.Tls;
using static Gateway.Tests.Tls.CaFixtures;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X500;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Gateway.Tests.Tls;

/// <summary>Certificates minted by CertificateAuthority, judged by openssl, .NET and BouncyCastle itself.</summary>
// File modes are the point of several tests here; the gateway runs on Unix only.
[UnsupportedOSPlatform("windows")]
public sealed class CertificateAuthorityTests : IDisposable
{
    private static readonly DateTime Now = CaFixtures.Now;
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-ca-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void A_server_certificate_verifies_with_openssl_for_the_sslserver_purpose(bool rsaRoot, bool rsaLeaf)
    {
        var root = Root(rsaRoot);

        var leaf = CertificateAuthority.Issue(root, Cn("mx.example.test"), ["mx.example.test"], CertificateUsage.Server, Kind(rsaLeaf), Now.AddMinutes(-5), Now.AddDays(30));

        CaOpenSsl.AssertVerifies("-CAfile", Write("ca.crt", root), "-purpose", "sslserver", "-verify_hostname", "mx.example.test", Write("leaf.crt", leaf));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_client_certificate_verifies_for_sslclient_and_is_refused_for_sslserver(bool rsa)
    {
        var root = Root(rsa);
        var ca = Write("ca.crt", root);

        var client = Write("client.crt", CertificateAuthority.Issue(root, Cn("relay client"), [], CertificateUsage.Client, Kind(rsa), Now.AddMinutes(-5), Now.AddDays(1)));

        CaOpenSsl.AssertVerifies("-CAfile", ca, "-purpose", "sslclient", client);
        var (exit, output) = CaOpenSsl.Run("verify", "-CAfile", ca, "-purpose", "sslserver", client);
        Assert.NotEqual(0, exit);
        Assert.Contains("error 26 ", output, StringComparison.Ordinal);   // X509_V_ERR_INVALID_PURPOSE
    }

    [Fact]
    public void A_certificate_for_both_uses_verifies_for_both_purposes()
    {
        var root = Root(rsa: false);
        var ca = Write("ca.crt", root);

        var both = Write("both.crt", CertificateAuthority.Issue(root, Cn("node1"), ["node1"], CertificateUsage.Server | CertificateUsage.Client, KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(1)));

        CaOpenSsl.AssertVerifies("-CAfile", ca, "-purpose", "sslserver", both);
        CaOpenSsl.AssertVerifies("-CAfile", ca, "-purpose", "sslclient", both);
    }

    [Fact]
    public void A_leaf_under_an_intermediate_verifies_and_its_chain_pem_leaves_the_root_out()
    {
        var root = Root(rsa: true);
        var intermediate = CertificateAuthority.CreateIntermediate(root, Cn("Gateway Issuing CA"), KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(300));

        var leaf = CertificateAuthority.Issue(intermediate, Cn("mx.example.test"), ["mx.example.test"], CertificateUsage.Server, KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(30));

        Assert.Equal([intermediate.Certificate, root.Certificate], leaf.Chain);
        Assert.Equal([leaf.Certificate, intermediate.Certificate], Parse(leaf.ChainPem()));
        var chain = Path.Combine(_dir, "chain.crt");
        File.WriteAllText(chain, leaf.ChainPem());
        CaOpenSsl.AssertVerifies("-CAfile", Write("ca.crt", root), "-untrusted", chain, "-purpose", "sslserver", chain);
    }

    [Fact]
    public void A_leaf_carries_the_extensions_of_its_usage_and_a_random_64_bit_serial()
    {
        var root = Root(rsa: false);

        var leaf = CertificateAuthority.Issue(root, Cn("mx"), ["mx.example.test", "mx"], CertificateUsage.Server, KeyKind.Rsa2048, Now.AddMinutes(-5), Now.AddDays(1)).Certificate;
        var other = CertificateAuthority.Issue(root, Cn("mx"), ["mx"], CertificateUsage.Server, KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(1)).Certificate;

        Assert.Equal(-1, leaf.GetBasicConstraints());
        Assert.True(leaf.GetKeyUsage()[0] && leaf.GetKeyUsage()[2]);   // digitalSignature, keyEncipherment
        Assert.Equal([KeyPurposeID.id_kp_serverAuth.Id], leaf.GetExtendedKeyUsage().Select(p => p.Id));
        Assert.Equal(["mx.example.test", "mx"], leaf.GetSubjectAlternativeNameExtension().GetNames().Select(n => n.Name.ToString()));
        Assert.Equal(SubjectKeyId(root.Certificate), AuthorityKeyId(leaf));
        Assert.NotNull(leaf.GetExtensionValue(X509Extensions.SubjectKeyIdentifier));
        Assert.True(leaf.SerialNumber.SignValue > 0 && leaf.SerialNumber.BitLength > 64);
        Assert.NotEqual(leaf.SerialNumber, other.SerialNumber);
        Assert.False(other.GetKeyUsage()[2]);
    }

    [Fact]
    public void An_ip_literal_becomes_an_ip_address_name_that_openssl_matches()
    {
        var root = Root(rsa: false);

        var leaf = CertificateAuthority.Issue(root, Cn("localhost"), ["localhost", "127.0.0.1", "::1"], CertificateUsage.Server, KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(1));

        var names = leaf.Certificate.GetSubjectAlternativeNameExtension().GetNames();
        Assert.Equal([GeneralName.DnsName, GeneralName.IPAddress, GeneralName.IPAddress], names.Select(n => n.TagNo));
        CaOpenSsl.AssertVerifies("-CAfile", Write("ca.crt", root), "-verify_ip", "127.0.0.1", Write("leaf.crt", leaf));
    }

    [Fact]
    public void An_expired_certificate_is_produced_as_asked()
    {
        var root = Root(rsa: false);
        var notAfter = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        var leaf = CertificateAuthority.Issue(root, Cn("old.example.test"), ["old.example.test"], CertificateUsage.Server, KeyKind.EcdsaP256, notAfter.AddDays(-10), notAfter);

        Assert.Equal(notAfter, leaf.Certificate.NotAfter);
        var file = Write("leaf.crt", leaf);
        var (exit, output) = CaOpenSsl.Run("verify", "-CAfile", Write("ca.crt", root), file);
        Assert.NotEqual(0, exit);
        Assert.Contains("certificate has expired", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crl_verifies_with_openssl_lists_the_serial_and_revokes_the_certificate()
    {
        var root = Root(rsa: false);
        var revoked = CertificateAuthority.Issue(root, Cn("lost laptop"), [], CertificateUsage.Client, KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(1));
        var kept = CertificateAuthority.Issue(root, Cn("desk"), [], CertificateUsage.Client, KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(1));
        var ca = Write("ca.crt", root);

        var crl = CertificateAuthority.CreateCrl(root, [revoked.Certificate.SerialNumber], Now.AddMinutes(-1), Now.AddDays(7));
        var crlFile = Path.Combine(_dir, "ca.crl");
        CertificateAuthority.WriteCrl(crl, crlFile);

        var (exit, output) = CaOpenSsl.Run("crl", "-in", crlFile, "-CAfile", ca, "-noout");
        Assert.True(exit == 0 && output.Contains("verify OK", StringComparison.Ordinal), output);
        var (_, text) = CaOpenSsl.Run("crl", "-in", crlFile, "-noout", "-text");
        // openssl prints whole bytes: an odd-length hex serial gets a leading 0 (1 run in 16 failed without it).
        var serial = revoked.Certificate.SerialNumber.ToString(16).ToUpperInvariant();
        Assert.Contains($"Serial Number: {(serial.Length % 2 == 1 ? "0" + serial : serial)}", text, StringComparison.Ordinal);
        var (revokedExit, revokedOutput) = CaOpenSsl.Run("verify", "-crl_check", "-CRLfile", crlFile, "-CAfile", ca, Write("revoked.crt", revoked));
        Assert.NotEqual(0, revokedExit);
        Assert.Contains("certificate revoked", revokedOutput, StringComparison.Ordinal);
        CaOpenSsl.AssertVerifies("-crl_check", "-CRLfile", crlFile, "-CAfile", ca, Write("kept.crt", kept));
    }
    [Fact]
    public void A_subject_with_special_characters_round_trips_byte_exactly()
    {
        var caName = Name(
            [(X509Name.C, new DerPrintableString("DE"))],
            [(X509Name.O, new DerUtf8String("Grüße & Söhne \"<GmbH>\" (Zürich) \\ / + , ; =")), (X509Name.OU, new DerUtf8String("Mail+Relay"))],
            [(X509Name.CN, new DerUtf8String(" leading space, trailing space "))]);
        var leafName = Name(
            [(X509Name.CN, new DerUtf8String(new string('x', 70) + " ☃ 東京"))],
            [(X509Name.EmailAddress, new DerIA5String("postmaster@example.test")), (X509Name.SerialNumber, new DerPrintableString("42"))],
            [(X509Name.L, new DerBmpString("München")), (X509Name.ST, new DerT61String("Bayern"))]);
        var root = CertificateAuthority.CreateRoot(caName, KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(1));

        var leaf = CertificateAuthority.Issue(root, leafName, ["mx.example.test"], CertificateUsage.Server, KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(1));
        var (cert, key) = (Path.Combine(_dir, "leaf.crt"), Path.Combine(_dir, "leaf.key"));
        leaf.WriteFiles(cert, key);
        var loaded = CertificateAuthority.Load(cert, key);

        Assert.Equal(caName.GetEncoded(), root.Certificate.SubjectDN.GetEncoded());
        Assert.Equal(caName.GetEncoded(), root.Certificate.IssuerDN.GetEncoded());
        Assert.Equal(caName.GetEncoded(), leaf.Certificate.IssuerDN.GetEncoded());
        Assert.Equal(leafName.GetEncoded(), loaded.Certificate.SubjectDN.GetEncoded());
        CaOpenSsl.AssertVerifies("-CAfile", Write("ca.crt", root), cert);
    }
    [Fact]
    public void SelfSigned_names_the_host_serves_both_roles_and_verifies_against_itself()
    {
        var self = CertificateAuthority.SelfSigned("gw1.example.test", KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(365));

        var file = Write("self.crt", self);

        Assert.Empty(self.Chain);
        Assert.Equal("CN=gw1.example.test", self.Certificate.SubjectDN.ToString());
        Assert.Equal(["gw1.example.test"], self.Certificate.GetSubjectAlternativeNameExtension().GetNames().Select(n => n.Name.ToString()));
        CaOpenSsl.AssertVerifies("-CAfile", file, "-purpose", "sslserver", "-verify_hostname", "gw1.example.test", file);
        CaOpenSsl.AssertVerifies("-CAfile", file, "-purpose", "sslclient", file);
    }

    [Fact]
    public void Issue_refuses_an_issuer_that_is_not_a_ca()
    {
        var root = Root(rsa: false);
        var leaf = CertificateAuthority.Issue(root, Cn("leaf"), [], CertificateUsage.Client, KeyKind.EcdsaP256, Now.AddMinutes(-5), Now.AddDays(1));

        var error = Assert.Throws<ArgumentException>(() => CertificateAuthority.Issue(leaf, Cn("x"), [], CertificateUsage.Client, KeyKind.EcdsaP256, Now, Now.AddDays(1)));

        Assert.Equal("issuer", error.ParamName);
        Assert.StartsWith("CN=leaf is not a CA certificate", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A name built from its ASN.1 pieces, one array per RDN, so every string type and character survives.</summary>
    private static X509Name Name(params (DerObjectIdentifier Type, Asn1Encodable Value)[][] rdns) =>
        X509Name.GetInstance(new DerSequence(rdns.Select(rdn => (Asn1Encodable)new DerSet(rdn.Select(a => (Asn1Encodable)new AttributeTypeAndValue(a.Type, a.Value)).ToArray())).ToArray()));

    private static List<X509Certificate> Parse(string pem) =>
        [.. new X509CertificateParser().ReadCertificates(System.Text.Encoding.ASCII.GetBytes(pem))];

    private static byte[] SubjectKeyId(X509Certificate c) =>
        SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(c.GetExtensionValue(X509Extensions.SubjectKeyIdentifier))).GetKeyIdentifier();

    private static byte[] AuthorityKeyId(X509Certificate c) =>
        AuthorityKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(c.GetExtensionValue(X509Extensions.AuthorityKeyIdentifier))).KeyIdentifier.GetOctets();

    private string Write(string name, IssuedCertificate issued)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, issued.CertificatePem());
        return path;
    }
}
