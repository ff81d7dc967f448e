using Gateway.Protocol.Tls;
using Org.BouncyCastle.Tls;

namespace Gateway.Protocol.Tests.Tls;

public class TlsVersionNamesTests
{
    public static TheoryData<ProtocolVersion, string> Versions => new()
    {
        { ProtocolVersion.TLSv13, "TLSv1.3" },
        { ProtocolVersion.TLSv12, "TLSv1.2" },
        { ProtocolVersion.TLSv11, "TLSv1.1" },
        { ProtocolVersion.TLSv10, "TLSv1" },
        { ProtocolVersion.SSLv3, "SSLv3" },
        { ProtocolVersion.DTLSv12, "UNKNOWN" },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Versions_use_openssl_spelling(ProtocolVersion version, string name)
    {
        Assert.Equal(name, TlsVersionNames.Name(version));
    }

    [Fact]
    public void A_version_made_from_its_wire_numbers_gets_the_same_name()
    {
        Assert.Equal("TLSv1.2", TlsVersionNames.Name(ProtocolVersion.Get(3, 3)));
    }
}
