using Org.BouncyCastle.Tls;

namespace Gateway.Protocol.Tls;

/// <summary>Draining BouncyCastle's non-blocking buffers, shared by the server and client engines.</summary>
internal static class TlsBuffers
{
    /// <summary>Decrypted application data received so far (empty if none).</summary>
    public static byte[] TakeInput(TlsProtocol protocol)
    {
        var available = protocol.GetAvailableInputBytes();
        if (available == 0)
        {
            return [];
        }

        var plaintext = new byte[available];
        protocol.ReadInput(plaintext, 0, available);
        return plaintext;
    }

    /// <summary>Records to send: handshake flights, alerts, encrypted data (empty if none).</summary>
    public static byte[] TakeOutput(TlsProtocol protocol)
    {
        var available = protocol.GetAvailableOutputBytes();
        if (available == 0)
        {
            return [];
        }

        var output = new byte[available];
        protocol.ReadOutput(output, 0, available);
        return output;
    }
}
