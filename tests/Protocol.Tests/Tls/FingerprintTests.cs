using System.Security.Cryptography;
using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1.X509;

namespace Gateway.Protocol.Tests.Tls;

public class FingerprintTests
{
    private static readonly byte[] Der = Certificates.Issue(
        Names.OpenSslStyle((X509Name.CN, "fp.example")), Names.OpenSslStyle((X509Name.CN, "CA"))).GetEncoded();

    [Fact]
    public void R48_md5_of_the_der_as_uppercase_hex_pairs_joined_by_colons()
    {
        var expected = string.Join(':', MD5.HashData(Der).Select(b => b.ToString("X2", null)));

        var fingerprint = Fingerprint.Of(Der);

        Assert.Equal(expected, fingerprint);
        Assert.Matches("^([0-9A-F]{2}:){15}[0-9A-F]{2}$", fingerprint);
    }

    [Fact]
    public void Another_digest_can_be_named()
    {
        var expected = string.Join(':', SHA256.HashData(Der).Select(b => b.ToString("X2", null)));

        var fingerprint = Fingerprint.Of(Der, "SHA256");

        Assert.Equal(expected, fingerprint);
    }

    [Fact]
    public void R48_an_unknown_digest_gives_an_empty_value()
    {
        var fingerprint = Fingerprint.Of(Der, "NO-SUCH-DIGEST");

        Assert.Equal("", fingerprint);
    }
}
