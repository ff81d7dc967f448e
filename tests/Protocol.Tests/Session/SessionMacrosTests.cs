using System.Net;
using Gateway.Protocol.Session;
using Gateway.Protocol.Tls;

namespace Gateway.Protocol.Tests.Session;

public sealed class SessionMacrosTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7", "[192.0.2.7]")]
    [InlineData("2001:db8::7", "IPv6:2001:db8::7", "[IPv6:2001:db8::7]")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7", "[192.0.2.7]")]
    public void Client_address_and_name_have_sendmails_forms(string address, string addr, string name)
    {
        var ip = IPAddress.Parse(address);

        Assert.Equal(addr, SessionMacros.ClientAddr(ip));
        Assert.Equal(name, SessionMacros.ClientName(ip));
    }

    [Fact]
    public void A_verified_reverse_name_is_the_client_name()
    {
        Assert.Equal("client.example.org", SessionMacros.ClientName(IPAddress.Parse("192.0.2.10"), "client.example.org"));
    }

    [Fact]
    public void All_macros_of_a_session_without_TLS_have_empty_TLS_values_and_the_client_facts()
    {
        var macros = SessionMacros.All(TlsFacts.None, ClientHost.NotLookedUp(IPAddress.Parse("192.0.2.7"))).ToDictionary(m => m.Key, m => m.Value);

        Assert.Equal("", macros["{verify}"]);
        Assert.Equal("", macros["{tls_version}"]);
        Assert.Equal("[192.0.2.7]", macros["{client_name}"]);
        Assert.Equal("192.0.2.7", macros["{client_addr}"]);
        Assert.Equal("", macros["{client_resolve}"]);
    }

    [Theory]
    [InlineData(ClientResolve.Ok, "mx.example.org", "OK")]
    [InlineData(ClientResolve.Forged, "[192.0.2.7]", "FORGED")]
    [InlineData(ClientResolve.Fail, "[192.0.2.7]", "FAIL")]
    [InlineData(ClientResolve.Temp, "[192.0.2.7]", "TEMP")]
    public void The_client_macros_follow_the_reverse_lookup(ClientResolve resolve, string name, string value)
    {
        var host = new ClientHost(IPAddress.Parse("192.0.2.7"), resolve == ClientResolve.Fail ? null : "mx.example.org", resolve);

        var macros = SessionMacros.All(TlsFacts.None, host).ToDictionary(m => m.Key, m => m.Value);

        Assert.Equal(name, macros["{client_name}"]);
        Assert.Equal(value, macros["{client_resolve}"]);
    }
}
