using System.Runtime.Versioning;
using Gateway.Tests.Support;

namespace Gateway.Tests.Entropy;

/// <summary>
/// Issue 6's proof that TLS really draws from the EntropyActor's generator, in a real STARTTLS handshake against a
/// whole node, with .NET's SslStream as the client. Each node is seeded by a test EGD daemon (SPEC R77) that hands
/// out fixed bytes, and is the only source of seed. The server's ephemeral key share, which BouncyCastle draws from
/// the node's SecureRandom, is then reproducible: the same seed gives the same key on two separately started
/// nodes, another seed another key.
/// The server random is not the evidence: BouncyCastle's nonce generator is seeded with 64 bytes from the same
/// generator but also with a process counter and the clock (AbstractTlsContext), so it differs on every handshake
/// by design.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class HandshakeSeedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-seed-").FullName;

    [Fact]
    public async Task The_servers_ephemeral_key_in_a_real_handshake_follows_the_seed()
    {
        var seed = Bytes(255, 17);
        var other = Bytes(255, 18);

        var first = await ServerFlightAfterSeedingAsync(seed, "a");
        var again = await ServerFlightAfterSeedingAsync(seed, "b");
        var changed = await ServerFlightAfterSeedingAsync(other, "c");

        Assert.Equal(0x0304, first.Version);
        Assert.Equal(first.Group, again.Group);
        Assert.Equal(Convert.ToHexString(first.PublicKey), Convert.ToHexString(again.PublicKey));
        Assert.NotEqual(Convert.ToHexString(first.PublicKey), Convert.ToHexString(changed.PublicKey));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Bytes(int count, int salt) => [.. Enumerable.Range(0, count).Select(i => (byte)((i * 31) + salt))];

    private async Task<ServerFlight> ServerFlightAfterSeedingAsync(byte[] seed, string name)
    {
        await using var daemon = EgdDaemon.Start(Path.Combine(_dir, name + ".egd"), async connection =>
        {
            await connection.SendAsync(new[] { (byte)seed.Length });
            await connection.SendAsync(seed);
        });
        await using var node = await TestNode.StartAsync($"--Entropy:RandFile=egd:{daemon.Path}");
        Assert.True(node.Node.StartTlsOffered);

        await using var smtp = await SmtpStream.ConnectAsync(node.Smtp);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.example");
        Assert.StartsWith("220", await smtp.CommandAsync("STARTTLS"), StringComparison.Ordinal);
        using var wire = new MemoryStream();
        await smtp.StartTlsAsync(serverBytes: wire);

        // The session works over the keys those bytes made.
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        return ServerFlight.Parse(wire.ToArray());
    }
}
