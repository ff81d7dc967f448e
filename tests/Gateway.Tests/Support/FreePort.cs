using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Support;

/// <summary>
/// A loopback port that was free a moment ago, for programs that cannot be told to bind port 0 and report
/// back (Postfix's master.cf, smtp-sink). Another process may take it in between; that shows as a clear
/// start-up failure ("Address already in use"), never as a test talking to the wrong server.
/// </summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
