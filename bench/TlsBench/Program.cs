using System.Diagnostics;
using System.Globalization;
using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

// tls-bench [--sessions 2000] [--records 50]
// Issue 12 item 5: the server and client engines in memory, one thread, no sockets. Each session is a
// TLS 1.3 handshake (ECDSA P-256, the server asking for a client certificate that the client does not
// have, as the node does by default) and then --records round trips of a 40-byte command and a 30-byte
// reply, as an SMTP dialog after STARTTLS. The crypto is the node's (PlatformTlsCrypto). Prints
// handshakes per second, the server engine's own time per handshake (the calls into TlsServerEngine
// alone) and the managed bytes allocated per handshake and per record round trip (exact, this thread).
var sessions = Option("--sessions", 2000);
var records = Option("--records", 50);
var random = new SecureRandom();
var crypto = new PlatformTlsCrypto(random);
var key = NewKey(random);
var root = SelfSigned(key, random);
var serverOptions = new TlsServerOptions(
    new ServerCredentials([X509CertificateStructure.GetInstance(root.GetEncoded())], key.Private),
    [], PeerVerifier.TrustNothing(TimeProvider.System), RequestClientCertificate: true, DnFormat.OpenSsl3, crypto);
var clientOptions = new TlsClientOptions("mx.example.test", null, new PeerVerifier([root], [], TimeProvider.System), DnFormat.OpenSsl3, crypto);
var command = "MAIL FROM:<alice@client.example.test>\r\n"u8.ToArray();
var reply = "250 2.1.0 Sender ok, go on\r\n"u8.ToArray();

Run(sessions / 10, records);
for (var round = 0; round < 3; round++)
{
    Run(sessions, records);
}

return 0;

void Run(int count, int perSession)
{
    long handshakeBytes = 0, recordBytes = 0;
    var handshakeTime = TimeSpan.Zero;
    var serverTime = TimeSpan.Zero;
    long serverBytes = 0;
    for (var i = 0; i < count; i++)
    {
        var start = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var server = new TlsServerEngine(serverOptions);
        var client = new TlsClientEngine(clientOptions);
        var (serverSpent, serverAllocated) = Handshake(client, server);
        serverTime += serverSpent;
        serverBytes += serverAllocated;
        handshakeTime += clock.Elapsed;
        var afterHandshake = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < perSession; r++)
        {
            client.Write(command);
            var up = client.TakeOutput();
            server.Offer(up, 0, up.Length);
            _ = server.TakePlaintext();
            server.Write(reply);
            var down = server.TakeOutput();
            client.Offer(down, 0, down.Length);
            _ = client.TakePlaintext();
        }

        handshakeBytes += afterHandshake - start;
        recordBytes += GC.GetAllocatedBytesForCurrentThread() - afterHandshake;
    }

    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{count,6} sessions: {count / handshakeTime.TotalSeconds,8:N0} handshakes/s  server {serverTime.TotalMicroseconds / count,6:N0} µs/handshake  {serverBytes / (double)count,9:N0} B/server handshake  {handshakeBytes / (double)count,9:N0} B/handshake  {recordBytes / (double)count / Math.Max(perSession, 1),8:N0} B/record round trip"));
}

// Returns the time spent and the bytes allocated in the server engine's calls.
static (TimeSpan Time, long Bytes) Handshake(TlsClientEngine client, TlsServerEngine server)
{
    var serverTime = TimeSpan.Zero;
    long serverBytes = 0;
    for (var moved = true; moved;)
    {
        var up = client.TakeOutput();
        var serverStart = Stopwatch.GetTimestamp();
        var serverAllocated = GC.GetAllocatedBytesForCurrentThread();
        if (up.Length > 0)
        {
            server.Offer(up, 0, up.Length);
        }

        var down = server.TakeOutput();
        serverTime += Stopwatch.GetElapsedTime(serverStart);
        serverBytes += GC.GetAllocatedBytesForCurrentThread() - serverAllocated;
        if (down.Length > 0)
        {
            client.Offer(down, 0, down.Length);
        }

        moved = up.Length > 0 || down.Length > 0;
    }

    if (!client.Established || !server.Established)
    {
        throw new InvalidOperationException($"handshake failed: {client.FailureReason} / {server.FailureReason}");
    }

    return (serverTime, serverBytes);
}

static AsymmetricCipherKeyPair NewKey(SecureRandom random)
{
    var generator = new ECKeyPairGenerator();
    generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
    return generator.GenerateKeyPair();
}

static X509Certificate SelfSigned(AsymmetricCipherKeyPair key, SecureRandom random)
{
    var generator = new X509V3CertificateGenerator();
    generator.SetSerialNumber(BigInteger.ProbablePrime(64, random));
    generator.SetIssuerDN(new X509Name("CN=mx.example.test"));
    generator.SetSubjectDN(new X509Name("CN=mx.example.test"));
    generator.SetNotBefore(DateTime.UtcNow.AddHours(-1));
    generator.SetNotAfter(DateTime.UtcNow.AddDays(30));
    generator.SetPublicKey(key.Public);
    return generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", key.Private, random));
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
