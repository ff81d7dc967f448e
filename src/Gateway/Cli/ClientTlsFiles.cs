using Gateway.Protocol.Tls;
using Gateway.Tls;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

namespace Gateway.Cli;

/// <summary>
/// Reads <c>--cert</c>, <c>--key</c> and <c>--cafile</c> for the client tools (probe, load), with the checks the server makes on its
/// own files (SPEC R34: an unsafe file is refused, named, with sendmail's reason; R32: the key must match).
/// </summary>
internal static class ClientTlsFiles
{
    private static readonly HashSet<string> DontBlame = [];

    /// <summary><paramref name="serverName"/> is the host as typed (R23, gateway choice: the SNI name; the engine leaves address literals out).</summary>
    public static TlsClientOptions ClientOptions(string serverName, string? certFile, string? keyFile, string? caFile, BcTlsCrypto crypto)
    {
        var credentials = certFile is not null && keyFile is not null ? Credentials(certFile, keyFile) : null;
        IReadOnlyList<X509Certificate> trusted = caFile is not null ? Authorities(caFile) : [];
        return new TlsClientOptions(serverName, credentials, new PeerVerifier(trusted, [], TimeProvider.System), DnFormat.OpenSsl3, crypto);
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
            throw new ClientFileError(e.Message);
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

            return certificates.Count > 0 ? certificates : throw new ClientFileError($"{file}: no PEM certificate in the file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PemException or InvalidCastException)
        {
            throw new ClientFileError($"{file}: {e.Message}");
        }
    }

    private static void Safe(string file, bool isKey)
    {
        if (!File.Exists(file))
        {
            throw new ClientFileError($"{file}: no such file");
        }

        if (FileSafety.Check(file, isKey, DontBlame) is { } reason)
        {
            // sendmail's wording (R34), as the server uses it for its own files.
            throw new ClientFileError($"file {file} unsafe: {reason}");
        }
    }
}
