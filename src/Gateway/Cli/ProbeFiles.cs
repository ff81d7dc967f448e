using Gateway.Protocol.Tls;
using Gateway.Tls;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

namespace Gateway.Cli;

/// <summary>
/// Reads <c>--cert</c>, <c>--key</c> and <c>--cafile</c> for the probe, with the checks the server makes on its
/// own files (SPEC R34: an unsafe file is refused, named, with sendmail's reason; R32: the key must match).
/// </summary>
internal static class ProbeFiles
{
    private static readonly HashSet<string> DontBlame = [];

    public static TlsClientOptions ClientOptions(ProbeSwitches switches, BcTlsCrypto crypto)
    {
        var credentials = switches.CertFile is { } cert ? Credentials(cert, switches.KeyFile!) : null;
        IReadOnlyList<X509Certificate> trusted = switches.CaFile is { } caFile ? Authorities(caFile) : [];

        // R23 (gateway choice): SNI is the host name as typed; the engine leaves address literals out.
        return new TlsClientOptions(
            switches.BareHost, credentials, new PeerVerifier(trusted, [], TimeProvider.System), DnFormat.OpenSsl3, crypto);
    }

    private static TlsClientCredentials Credentials(string certFile, string keyFile)
    {
        Safe(certFile, isKey: false);
        Safe(keyFile, isKey: true);
        try
        {
            var loaded = CertificateAuthority.Load(certFile, keyFile);
            return new TlsClientCredentials(
                [.. new[] { loaded.Certificate }.Concat(loaded.Chain).Select(c => X509CertificateStructure.GetInstance(c.GetEncoded()))],
                loaded.PrivateKey);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ProbeFileError(e.Message);
        }
    }

    private static List<X509Certificate> Authorities(string file)
    {
        Safe(file, isKey: false);
        try
        {
            using var reader = new PemReader(File.OpenText(file));
            var certificates = new List<X509Certificate>();
            while (reader.ReadObject() is { } item)
            {
                if (item is X509Certificate certificate)
                {
                    certificates.Add(certificate);
                }
            }

            return certificates.Count > 0 ? certificates : throw new ProbeFileError($"{file}: no PEM certificate in the file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PemException or InvalidCastException)
        {
            throw new ProbeFileError($"{file}: {e.Message}");
        }
    }

    private static void Safe(string file, bool isKey)
    {
        if (!File.Exists(file))
        {
            throw new ProbeFileError($"{file}: no such file");
        }

        if (FileSafety.Check(file, isKey, DontBlame) is { } reason)
        {
            // sendmail's wording (R34), as the server uses it for its own files.
            throw new ProbeFileError($"file {file} unsafe: {reason}");
        }
    }
}
