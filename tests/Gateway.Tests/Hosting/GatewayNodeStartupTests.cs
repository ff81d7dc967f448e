using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Hosting;

/// <summary>A node that cannot listen where it was told must not start at all, and must say where and why.</summary>
public sealed class GatewayNodeStartupTests
{
    [Fact]
    public async Task A_listen_address_in_use_stops_start_up_naming_the_address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<IOException>(() => TestNode.StartAsync($"--Smtp:Listen:0=127.0.0.1:{port}"));

        Assert.StartsWith($"cannot listen on 127.0.0.1:{port}: ", error.Message, StringComparison.Ordinal);
    }
}
