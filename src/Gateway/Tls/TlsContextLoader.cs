using Gateway.Configuration;
using Gateway.Protocol.Tls;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

namespace Gateway.Tls;

/// <summary>
/// Reads and checks every Tls:* file once at start and builds the node's TLS server options.
/// Deliberate departure from sendmail (DESIGN): an unsafe (R34) or unusable (R32) file stops
/// start-up with an error naming the key, the file and the reason, instead of silently running
/// without STARTTLS (R39). With no certificate configured, an ECDSA P-256 self-signed one is
/// generated once under Queue:Directory/tls, so a fresh gateway offers STARTTLS.
/// </summary>
internal static class TlsContextLoader
{
    public static TlsServerOptions Load(GatewaySettings settings, BcTlsCrypto crypto, TimeProvider clock, ILogger log)
    {
        var tls = settings.Tls;
        var (certFile, keyFile) = tls.ServerCertFile is { } configured
            ? (configured, tls.ServerKeyFile!)
            : SelfSigned(settings, clock, log);
        var first = Server(certFile, keyFile, "Tls:ServerCertFile", "Tls:ServerKeyFile", settings);
        var second = tls.SecondServerCertFile is { } secondCert
            ? Server(secondCert, tls.SecondServerKeyFile!, "Tls:SecondServerCertFile", "Tls:SecondServerKeyFile", settings)
            : null;
        if (second is not null && second.IsEc == first.IsEc)
        {
            throw new ConfigurationError(
                "Tls:SecondServerCertFile",
                $"{tls.SecondServerCertFile}: its key is {KeyType(second)}, as Tls:ServerCertFile's is: the second certificate must have the other key type (RSA next to ECDSA)");
        }

        // SPEC R15: CACertFile's subjects are sent in the certificate request; CACertPath only verifies.
        var requestable = tls.CACertFile is { } caFile ? Checked(caFile, "Tls:CACertFile", settings) : [];
        var pathCertificates = tls.CACertPath is { } caPath ? Directory(caPath, settings) : [];
        IReadOnlyList<X509Certificate> trusted = [.. requestable, .. pathCertificates];
        var crls = tls.CRLFile is { } crlFile ? Crls(crlFile, trusted, settings) : [];
        log.LogInformation(
            "STARTTLS=server, certificate {Subject} ({KeyType}) from {CertFile}{Second}, {Trusted} trusted CA(s), {Crls} CRL(s), client certificates {Request}, {Suites}",
            first.Chain[0].Subject, KeyType(first), certFile,
            second is null ? "" : $", and {second.Chain[0].Subject} ({KeyType(second)}) from {tls.SecondServerCertFile}",
            trusted.Count, crls.Count, tls.RequestClientCert ? "requested" : "not requested",
            tls.AllowCbc ? "AEAD and CBC suites" : "AEAD suites only");
        return new TlsServerOptions(
            first,
            [.. requestable.Select(c => X509Name.GetInstance(c.SubjectDN.ToAsn1Object()))],
            new PeerVerifier(trusted, crls, clock),
            tls.RequestClientCert,
            tls.DnFormat,
            crypto)
        {
            SecondCredentials = second,
            AllowCbc = tls.AllowCbc,
            Resumption = Resumption(settings, crypto, clock, log),
        };
    }

    /// <summary>
    /// TLS 1.2 resumption: ticket keys derived from Tls:SessionTicketKeyFile's secret (the same file on every node lets a
    /// client resume on any of them) or, without it, from a secret of this node's own, drawn from its entropy source and
    /// gone at restart; null when Tls:SessionCacheTimeout is 0.
    /// </summary>
    private static TlsResumption? Resumption(GatewaySettings settings, BcTlsCrypto crypto, TimeProvider clock, ILogger log)
    {
        var tls = settings.Tls;
        if (tls.SessionCacheTimeout <= TimeSpan.Zero)
        {
            log.LogInformation("STARTTLS=server, session resumption off (Tls:SessionCacheTimeout=0): every handshake is a full one");
            return null;
        }

        // The file is read now, so that a bad one stops start-up; a node's own secret is drawn at the first ticket,
        // after the EntropyActor has seeded the generator (TlsResumption).
        var fileSecret = tls.SessionTicketKeyFile is { } file ? TicketSecret(file, settings) : null;
        Func<byte[]> secret = fileSecret is not null
            ? () => fileSecret
            : () =>
            {
                var own = new byte[SessionTicketKeys.KeyLength];
                crypto.SecureRandom.NextBytes(own);
                return own;
            };
        log.LogInformation(
            "STARTTLS=server, TLS 1.2 sessions resumed for {Timeout} s: tickets with keys {Keys}, rotated every {Timeout} s; session IDs on this node (up to {Size}); TLS 1.3 sessions are not resumed",
            tls.SessionCacheTimeout.TotalSeconds,
            tls.SessionTicketKeyFile is { } f ? $"from {f}" : "of this node only (no Tls:SessionTicketKeyFile: other nodes cannot open them)",
            tls.SessionCacheTimeout.TotalSeconds, tls.SessionCacheSize);
        return new TlsResumption(() => new SessionTicketKeys(secret(), tls.SessionCacheTimeout), tls.SessionCacheTimeout, tls.SessionCacheSize, clock);
    }

    private static byte[] TicketSecret(string file, GatewaySettings settings)
    {
        Safe(file, "Tls:SessionTicketKeyFile", isKey: true, settings);
        string text;
        try
        {
            text = File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationError("Tls:SessionTicketKeyFile", $"{file}: {e.Message}");
        }

        var secret = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, secret, out var length) || length < SessionTicketKeys.KeyLength)
        {
            throw new ConfigurationError(
                "Tls:SessionTicketKeyFile",
                $"{file}: expected at least {SessionTicketKeys.KeyLength} random bytes in base64 on one line (make one with: openssl rand -base64 48)");
        }

        return secret[..length];
    }

    /// <summary>A server certificate and its key, checked: safe files (R34), a chain, a key, and the key is the certificate's (R32).</summary>
    private static ServerCredentials Server(string certFile, string keyFile, string certKey, string keyKey, GatewaySettings settings)
    {
        Safe(certFile, certKey, isKey: false, settings);
        Safe(keyFile, keyKey, isKey: true, settings);
        var chain = Certificates(certFile, certKey);
        var key = PrivateKey(keyFile, keyKey);
        if (!ServerCredentials.KeyMatches(chain[0].CertificateStructure, key))
        {
            throw new ConfigurationError(keyKey, $"{keyFile}: the key does not match the certificate in {certFile} (SPEC R32)");
        }

        return new ServerCredentials([.. chain.Select(c => c.CertificateStructure)], key);
    }

    private static string KeyType(CertifiedKey credentials) => credentials.IsEc ? "ECDSA" : "RSA";

    /// <summary>
    /// Tls:ClientCertFile and Tls:ClientKeyFile, with the checks the server's own files get (R34 safety, R32 the key
    /// matches); null when not configured: no certificate is presented when relaying.
    /// </summary>
    public static TlsClientCredentials? ClientCredentials(GatewaySettings settings, ILogger log)
    {
        var tls = settings.Tls;
        if (tls.ClientCertFile is not { } certFile || tls.ClientKeyFile is not { } keyFile)
        {
            return null;
        }

        Safe(certFile, "Tls:ClientCertFile", isKey: false, settings);
        Safe(keyFile, "Tls:ClientKeyFile", isKey: true, settings);
        var chain = Certificates(certFile, "Tls:ClientCertFile");
        var key = PrivateKey(keyFile, "Tls:ClientKeyFile");
        var leaf = chain[0].CertificateStructure;
        if (!ServerCredentials.KeyMatches(leaf, key))
        {
            throw new ConfigurationError("Tls:ClientKeyFile", $"{keyFile}: the key does not match the certificate in {certFile} (SPEC R32)");
        }

        log.LogInformation("STARTTLS=client, certificate {Subject} from {CertFile}, presented when a server asks", leaf.Subject, certFile);
        return new TlsClientCredentials([.. chain.Select(c => c.CertificateStructure)], key);
    }

    private static (string Cert, string Key) SelfSigned(GatewaySettings settings, TimeProvider clock, ILogger log)
    {
        var directory = Path.GetFullPath(Path.Combine(settings.QueueDirectory, "tls"));
        var cert = Path.Combine(directory, "server.crt");
        var key = Path.Combine(directory, "server.key");
        if (File.Exists(cert) && File.Exists(key))
        {
            return (cert, key);
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        CertificateAuthority.SelfSigned(settings.Hostname, KeyKind.EcdsaP256, now.AddHours(-1), now.AddYears(10))
            .WriteFiles(cert, key, includeChain: false);
        log.LogWarning(
            "STARTTLS=server, no Tls:ServerCertFile configured: generated a self-signed ECDSA P-256 certificate for {Hostname} in {Directory}",
            settings.Hostname, directory);
        return (cert, key);
    }

    private static void Safe(string file, string key, bool isKey, GatewaySettings settings)
    {
        if (FileSafety.Check(file, isKey, settings.DontBlameSendmail) is { } reason)
        {
            // sendmail's wording (R34): "file <name> unsafe: <reason>".
            throw new ConfigurationError(key, $"file {file} unsafe: {reason}");
        }
    }

    private static List<X509Certificate> Checked(string file, string key, GatewaySettings settings)
    {
        Safe(file, key, isKey: false, settings);
        return Certificates(file, key);
    }

    private static List<X509Certificate> Certificates(string file, string key)
    {
        var certificates = Pem(file, key).OfType<X509Certificate>().ToList();
        return certificates.Count > 0
            ? certificates
            : throw new ConfigurationError(key, $"{file}: no PEM certificate in the file");
    }

    private static AsymmetricKeyParameter PrivateKey(string file, string key)
    {
        foreach (var item in Pem(file, key))
        {
            switch (item)
            {
                case AsymmetricCipherKeyPair pair:
                    return pair.Private;
                case AsymmetricKeyParameter { IsPrivate: true } privateKey:
                    return privateKey;
            }
        }

        throw new ConfigurationError(key, $"{file}: no unencrypted PEM private key in the file (SPEC R32)");
    }

    /// <summary>SPEC R35: every PEM certificate in the directory, hashed names (c_rehash) or not.</summary>
    private static List<X509Certificate> Directory(string directory, GatewaySettings settings)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ConfigurationError("Tls:CACertPath", $"{directory}: no such directory");
        }

        var certificates = new List<X509Certificate>();
        foreach (var file in System.IO.Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            Safe(file, "Tls:CACertPath", isKey: false, settings);
            certificates.AddRange(Pem(file, "Tls:CACertPath").OfType<X509Certificate>());
        }

        return certificates;
    }

    /// <summary>SPEC R36: an unusable CRL file stops start-up; a CRL no trusted CA signed is refused too.</summary>
    private static List<X509Crl> Crls(string file, IReadOnlyList<X509Certificate> trusted, GatewaySettings settings)
    {
        Safe(file, "Tls:CRLFile", isKey: false, settings);
        var crls = Pem(file, "Tls:CRLFile").OfType<X509Crl>().ToList();
        if (crls.Count == 0)
        {
            throw new ConfigurationError("Tls:CRLFile", $"{file}: no PEM CRL in the file");
        }

        foreach (var crl in crls)
        {
            var issuer = trusted.FirstOrDefault(ca => ca.SubjectDN.Equivalent(crl.IssuerDN))
                ?? throw new ConfigurationError("Tls:CRLFile", $"{file}: CRL issued by {crl.IssuerDN}, which is not a trusted CA");
            try
            {
                crl.Verify(issuer.GetPublicKey());
            }
            catch (Exception e) when (e is InvalidKeyException or SignatureException or GeneralSecurityException)
            {
                throw new ConfigurationError("Tls:CRLFile", $"{file}: bad signature on the CRL of {crl.IssuerDN}");
            }
        }

        return crls;
    }

    private static List<object> Pem(string file, string key)
    {
        try
        {
            using var reader = new PemReader(new StreamReader(file));
            var items = new List<object>();
            while (reader.ReadObject() is { } item)
            {
                items.Add(item);
            }

            return items;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PemException or InvalidCastException)
        {
            throw new ConfigurationError(key, $"{file}: {e.Message}");
        }
    }
}
