using Gateway.Protocol.Tls;

namespace Gateway.Protocol.Tests.Tls;

/// <summary>Moves ciphertext between a client and a server engine in memory until neither has anything to send.</summary>
internal static class EnginePump
{
    public static void Run(TlsClientEngine client, TlsServerEngine server)
    {
        for (var moved = true; moved;)
        {
            var up = client.TakeOutput();
            if (up.Length > 0)
            {
                server.Offer(up, 0, up.Length);
            }

            var down = server.TakeOutput();
            if (down.Length > 0)
            {
                client.Offer(down, 0, down.Length);
            }

            moved = up.Length > 0 || down.Length > 0;
        }
    }
}
