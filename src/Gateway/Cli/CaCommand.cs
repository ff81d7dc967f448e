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
    // Backdated so that a peer whose clock is a little behind ours does not see a certificate from the future.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    public static int Init(CaInitPlan plan, TextWriter output, TextWriter error) => Guarded(error, () =>
    {
        var (certPath, keyPath) = (Path.Combine(plan.Out, "ca.crt"), Path.Combine(plan.Out, "ca.key"));
        RefuseExisting(keyPath, certPath);

        var now = DateTime.UtcNow;
        var ca = CertificateAuthority.CreateRoot(CertificateAuthority.CommonName(plan.CommonName), plan.Kind, now - ClockSkew, now.AddDays(plan.Days));
        Write(ca, certPath, keyPath, includeChain: false, output);
    });

    public static int Issue(CaIssuePlan plan, TextWriter output, TextWriter error) => Guarded(error, () =>
    {
        var stem = FileStem(plan.CommonName);
        var (certPath, keyPath) = (Path.Combine(plan.Out, stem + ".crt"), Path.Combine(plan.Out, stem + ".key"));
        RefuseExisting(keyPath, certPath);
        var ca = LoadCa(plan.Ca);

        var now = DateTime.UtcNow;
        var notAfter = Min(now.AddDays(plan.Days), ca.Certificate.NotAfter);
        if (notAfter <= now)
        {
            throw new CaFileError($"the CA in {plan.Ca} expired at {ca.Certificate.NotAfter:u}", ExitCodes.Config);
        }

        var leaf = CertificateAuthority.Issue(ca, CertificateAuthority.CommonName(plan.CommonName), plan.Names, plan.Usage, plan.Kind, now - ClockSkew, notAfter);
        Write(leaf, certPath, keyPath, includeChain: true, output);
    });

    private static int Guarded(TextWriter error, Action run)
    {
        try
        {
            run();
            return 0;
        }
        catch (CaFileError e)
        {
            error.WriteLine($"gateway ca: {e.Message}");
            return e.ExitCode;
        }
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
