using System.CommandLine;
using System.Globalization;
using Gateway.Tls;

namespace Gateway.Cli;

/// <summary>
/// The command lines of <c>gateway ca init</c> and <c>gateway ca issue</c>, declared once for the parser and the
/// generated help. A single bad value is refused by its option; a combination by <see cref="IssuePlan"/>.
/// </summary>
internal sealed class CaSwitches
{
    public const string DefaultCaName = "Gateway Local CA";

    public const string Notes = """
        ECDSA P-256 keys unless --rsa. Keys are written mode 0600 and never over an existing file.
        Exit 0 when the files were written, 64 for usage errors, 78 when a file is in the way or the CA cannot be used.
        """;
    private const int DefaultCaDays = 3650;
    private const int DefaultLeafDays = 365;

    // RFC 5280 ub-common-name; BouncyCastle 2.7 enforces it too.
    private const int MaxCommonName = 64;

    private readonly Option<string?> _initOut = Required(Switches.Text("--out", "DIR", "the directory for ca.crt and ca.key (created 0755 if missing)"));
    private readonly Option<string?> _initCn = CommonName($"the CA's common name (default \"{DefaultCaName}\")");
    private readonly Option<int?> _initDays = Days($"days the CA is valid (default {DefaultCaDays})");
    private readonly Option<bool> _initRsa = Rsa();

    private readonly Option<string?> _issueCa = Required(Switches.Text("--ca", "DIR", "the CA directory, as 'gateway ca init --out' made it (ca.crt and ca.key)"));
    private readonly Option<string?> _issueCn = Required(CommonName("the certificate's common name; the files are named after it"));

    private readonly Option<string[]> _issueSan = Switches.Repeatable(
        "--san", "NAME", "a subject alternative name: a host name or IP address, once per name (default: the CN, if it is a host name)", San);

    private readonly Option<bool> _issueServer = Switches.Flag("--server", "for a server (the default): TLS server authentication");
    private readonly Option<bool> _issueClient = Switches.Flag("--client", "for a client (relaying by certificate); with --server, for both");
    private readonly Option<string?> _issueOut = Required(Switches.Text("--out", "DIR", "the directory for <cn>.crt (the certificate, then intermediate CAs) and <cn>.key"));
    private readonly Option<int?> _issueDays = Days($"days the certificate is valid (default {DefaultLeafDays}, never past the CA's end)");
    private readonly Option<bool> _issueRsa = Rsa();

    public CaSwitches()
    {
        Init = new Command("init", $"Create a CA: writes DIR/ca.crt and DIR/ca.key (self-signed; default CN \"{DefaultCaName}\", {DefaultCaDays} days).")
        {
            _initOut, _initCn, _initRsa, _initDays,
        };
        Issue = new Command(
            "issue",
            "Issue a certificate signed by the CA: writes DIR/<cn>.crt (the certificate, then intermediate CAs) and DIR/<cn>.key; "
            + $"for a server unless --client; {DefaultLeafDays} days.")
        {
            _issueCa, _issueCn, _issueSan, _issueServer, _issueClient, _issueRsa, _issueDays, _issueOut,
        };
        Command = new Command("ca", "Create a CA and issue server or client certificates with it.")
        {
            Init, Issue,
        };
    }

    /// <summary><c>gateway ca</c>, with <see cref="Init"/> and <see cref="Issue"/> under it.</summary>
    public Command Command { get; }

    public Command Init { get; }

    public Command Issue { get; }

    public CaInitPlan InitPlan(ParseResult parsed) => new(
        parsed.GetRequiredValue(_initOut)!,
        parsed.GetValue(_initCn) ?? DefaultCaName,
        parsed.GetValue(_initDays) ?? DefaultCaDays,
        Kind(parsed.GetValue(_initRsa)));

    /// <summary>The certificate to issue; a CN that cannot be a server certificate's only name is a <see cref="UsageError"/>.</summary>
    public CaIssuePlan IssuePlan(ParseResult parsed)
    {
        var cn = parsed.GetRequiredValue(_issueCn)!;
        var usage = (parsed.GetValue(_issueServer), parsed.GetValue(_issueClient)) switch
        {
            (true, true) => CertificateUsage.Server | CertificateUsage.Client,
            (false, true) => CertificateUsage.Client,
            _ => CertificateUsage.Server,
        };
        return new CaIssuePlan(
            parsed.GetRequiredValue(_issueCa)!,
            cn,
            AlternativeNames(parsed.GetValue(_issueSan) ?? [], cn, usage),
            usage,
            parsed.GetRequiredValue(_issueOut)!,
            parsed.GetValue(_issueDays) ?? DefaultLeafDays,
            Kind(parsed.GetValue(_issueRsa)));
    }

    /// <summary>The --san names, or else the CN if it is a host name. A server certificate must carry one (RFC 6125 §6.4.4).</summary>
    private static List<string> AlternativeNames(IReadOnlyList<string> given, string cn, CertificateUsage usage)
    {
        if (given.Count > 0)
        {
            return [.. given];
        }

        if (CaHostNames.IsValid(cn))
        {
            return [cn];
        }

        return usage.HasFlag(CertificateUsage.Server)
            ? throw new UsageError($"--cn '{cn}' is not a host name, so it cannot be the default SAN of a server certificate; give --san")
            : [];
    }

    private static KeyKind Kind(bool rsa) => rsa ? KeyKind.Rsa2048 : KeyKind.EcdsaP256;

    private static Option<string?> Required(Option<string?> option)
    {
        option.Required = true;
        return option;
    }

    private static Option<string?> CommonName(string description) => Switches.Value<string?>(
        "--cn",
        "NAME",
        description,
        (cn, name) => cn.Length is > 0 and <= MaxCommonName ? cn
            : cn.Length == 0 ? throw new UsageError($"{name} needs a non-empty value")
            : throw new UsageError($"{name} is {cn.Length} characters long; RFC 5280 allows at most {MaxCommonName} (put long host names in --san)"));

    // 1 to 36500 days: a hundred years; past that the date is surely a typo.
    private static Option<int?> Days(string description) => Switches.Value<int?>(
        "--days",
        "N",
        description,
        (text, name) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 36500
            ? days
            : throw new UsageError($"{name} must be a whole number of days from 1 to 36500, not '{text}'"));

    private static Option<bool> Rsa() => Switches.Flag("--rsa", "an RSA 2048 key instead of ECDSA P-256, for peers without ECDSA");

    private static string San(string text, string name) => CaHostNames.IsValid(text)
        ? text
        : throw new UsageError($"{name} '{text}' is not a host name or IP address (internationalised names in their xn-- form)");
}
