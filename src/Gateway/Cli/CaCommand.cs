using System.Globalization;
using Gateway.Tls;
using Org.BouncyCastle.X509;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway ca init</c> and <c>gateway ca issue</c>: the "create your own CA" tool. ECDSA P-256 unless
/// <c>--rsa</c>; keys are written 0600 and never over an existing file (SPEC R88).
/// </summary>
internal static class CaCommand
{
    public const string HelpText = """
        usage: gateway ca init --out DIR [--cn NAME] [--rsa] [--days N]
                 writes DIR/ca.crt and DIR/ca.key (a self-signed CA; default CN "Gateway Local CA", 3650 days)
               gateway ca issue --ca DIR --cn NAME [--san NAME ...] [--server] [--client] [--rsa] [--days N] --out DIR
                 writes DIR/<cn>.crt (certificate, then intermediate CAs) and DIR/<cn>.key, signed by DIR/ca.{crt,key};
                 default SAN: the CN; usage: server, or client with --client, or both with --server --client; 365 days
        """;

    private const string DefaultCaName = "Gateway Local CA";
    private const int DefaultCaDays = 3650;
    private const int DefaultLeafDays = 365;

    // RFC 5280 ub-common-name; BouncyCastle 2.7 enforces it too.
    private const int MaxCommonName = 64;

    // Backdated so that a peer whose clock is a little behind ours does not see a certificate from the future.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return args switch
            {
                ["init", .. var rest] => Init(rest, output),
                ["issue", .. var rest] => Issue(rest, output),
                ["help" or "--help" or "-h", ..] => Help(output),
                [] => throw new CaUsageError("expected 'init' or 'issue'"),
                [var other, ..] => throw new CaUsageError($"unknown subcommand '{other}'; expected 'init' or 'issue'"),
            };
        }
        catch (CaUsageError e)
        {
            error.WriteLine($"gateway ca: {e.Message}; try 'gateway ca help'");
            return ExitCodes.Usage;
        }
        catch (CaFileError e)
        {
            error.WriteLine($"gateway ca: {e.Message}");
            return e.ExitCode;
        }
    }

    private static int Help(TextWriter output)
    {
        output.Write(HelpText);
        output.WriteLine();
        return 0;
    }

    private static int Init(string[] args, TextWriter output)
    {
        var switches = CaSwitches.Parse(args, single: ["--out", "--cn", "--days"], repeatable: [], flags: ["--rsa"]);
        var dir = switches.Required("--out");
        var cn = CommonName(switches.Value("--cn") ?? DefaultCaName);
        var days = switches.Days("--days", DefaultCaDays);
        var (certPath, keyPath) = (Path.Combine(dir, "ca.crt"), Path.Combine(dir, "ca.key"));
        RefuseExisting(keyPath, certPath);

        var now = DateTime.UtcNow;
        var ca = CertificateAuthority.CreateRoot(CertificateAuthority.CommonName(cn), Kind(switches), now - ClockSkew, now.AddDays(days));
        Write(ca, certPath, keyPath, includeChain: false, output);
        return 0;
    }

    private static int Issue(string[] args, TextWriter output)
    {
        var switches = CaSwitches.Parse(
            args, single: ["--ca", "--cn", "--out", "--days"], repeatable: ["--san"], flags: ["--server", "--client", "--rsa"]);
        var caDir = switches.Required("--ca");
        var cn = CommonName(switches.Required("--cn"));
        var dir = switches.Required("--out");
        var days = switches.Days("--days", DefaultLeafDays);
        var usage = UsageOf(switches);
        var names = AlternativeNames(switches, cn, usage);
        var stem = FileStem(cn);
        var (certPath, keyPath) = (Path.Combine(dir, stem + ".crt"), Path.Combine(dir, stem + ".key"));
        RefuseExisting(keyPath, certPath);
        var ca = LoadCa(caDir);

        var now = DateTime.UtcNow;
        var notAfter = Min(now.AddDays(days), ca.Certificate.NotAfter);
        if (notAfter <= now)
        {
            throw new CaFileError($"the CA in {caDir} expired at {ca.Certificate.NotAfter:u}", ExitCodes.Config);
        }

        var leaf = CertificateAuthority.Issue(ca, CertificateAuthority.CommonName(cn), names, usage, Kind(switches), now - ClockSkew, notAfter);
        Write(leaf, certPath, keyPath, includeChain: true, output);
        return 0;
    }

    private static KeyKind Kind(CaSwitches switches) => switches.Flag("--rsa") ? KeyKind.Rsa2048 : KeyKind.EcdsaP256;

    private static CertificateUsage UsageOf(CaSwitches switches) => (switches.Flag("--server"), switches.Flag("--client")) switch
    {
        (true, true) => CertificateUsage.Server | CertificateUsage.Client,
        (false, true) => CertificateUsage.Client,
        _ => CertificateUsage.Server,
    };

    private static string CommonName(string cn) => cn.Length <= MaxCommonName
        ? cn
        : throw new CaUsageError($"--cn is {cn.Length} characters long; RFC 5280 allows at most {MaxCommonName} (put long host names in --san)");

    /// <summary>The --san names, or else the CN if it is a host name. A server certificate must carry one (RFC 6125 §6.4.4).</summary>
    private static List<string> AlternativeNames(CaSwitches switches, string cn, CertificateUsage usage)
    {
        var given = switches.Values("--san");
        if (given.FirstOrDefault(n => !CaHostNames.IsValid(n)) is { } bad)
        {
            throw new CaUsageError($"--san '{bad}' is not a host name or IP address (internationalised names in their xn-- form)");
        }

        if (given.Count > 0)
        {
            return [.. given];
        }

        if (CaHostNames.IsValid(cn))
        {
            return [cn];
        }

        return usage.HasFlag(CertificateUsage.Server)
            ? throw new CaUsageError($"--cn '{cn}' is not a host name, so it cannot be the default SAN of a server certificate; give --san")
            : [];
    }

    /// <summary>The CN as a file name: anything but letters, digits and <c>. _ @ -</c> becomes <c>_</c>, and it never starts with a dot.</summary>
    private static string FileStem(string cn)
    {
        var stem = new string([.. cn.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '@' or '-' ? c : '_')]);
        return stem.StartsWith('.') ? "_" + stem[1..] : stem;
    }

    private static void RefuseExisting(params string[] paths)
    {
        if (paths.FirstOrDefault(Path.Exists) is { } path)
        {
            // Not a usage error: the command line is fine, the state of the directory is not.
            throw new CaFileError($"{Path.GetFullPath(path)} already exists; refusing to overwrite it (move it away first)", ExitCodes.Config);
        }
    }

    private static IssuedCertificate LoadCa(string caDir)
    {
        var (certPath, keyPath) = (Path.Combine(caDir, "ca.crt"), Path.Combine(caDir, "ca.key"));
        if (new[] { certPath, keyPath }.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            throw new CaFileError($"{Path.GetFullPath(missing)} not found (create a CA with 'gateway ca init --out {caDir}')", ExitCodes.Config);
        }

        try
        {
            var ca = CertificateAuthority.Load(certPath, keyPath);
            return ca.Certificate.GetBasicConstraints() >= 0
                ? ca
                : throw new CaFileError($"{Path.GetFullPath(certPath)} is not a CA certificate", ExitCodes.Config);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new CaFileError(e.Message, ExitCodes.Config);
        }
    }

    private static void Write(IssuedCertificate issued, string certPath, string keyPath, bool includeChain, TextWriter output)
    {
        try
        {
            CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(certPath))!);
            issued.WriteFiles(certPath, keyPath, includeChain, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaFileError($"cannot write {Path.GetFullPath(keyPath)} or {Path.GetFullPath(certPath)}: {e.Message}", ExitCodes.Config);
        }

        var certificate = issued.Certificate;
        var intermediates = includeChain ? issued.Chain.Count(c => !IssuedCertificate.IsSelfSigned(c)) : 0;
        var chain = intermediates == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" and {intermediates} intermediate CA certificate(s)");
        output.WriteLine($"gateway ca: wrote {Path.GetFullPath(certPath)} (certificate{chain}, mode 0644)");
        output.WriteLine($"gateway ca: wrote {Path.GetFullPath(keyPath)} (private key, mode 0600; keep it secret)");
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"gateway ca: subject {certificate.SubjectDN}, issuer {certificate.IssuerDN}, serial {certificate.SerialNumber.ToString(16)}, {Describe(certificate)}, valid until {certificate.NotAfter:u}"));
    }

    private static string Describe(X509Certificate certificate) =>
        certificate.SigAlgName + (certificate.GetPublicKey() is Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters ? ", key ECDSA P-256" : ", key RSA 2048");

    // R34: a directory that others can write makes every key in it unsafe, so new directories get 0755 whatever the umask.
    private static void CreateDirectory(string path)
    {
        if (Directory.Exists(path) || OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(path, mode);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
