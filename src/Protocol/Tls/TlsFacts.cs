using System.Globalization;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Tls;

namespace Gateway.Protocol.Tls;

/// <summary>
/// The TLS macros of one session (SPEC R40), fixed once the handshake completes. DN and CN fields are already
/// +HEX-encoded (R44). <see cref="None"/> is the plaintext session: every macro empty (R47).
/// </summary>
public sealed record TlsFacts(
    string Version,
    string Cipher,
    int CipherBits,
    int AlgBits,
    string Verify,
    string CertSubject,
    string CertIssuer,
    string CnSubject,
    string CnIssuer,
    string CertMd5)
{
    /// <summary>R81: longest relay= value in the summary line.</summary>
    public const int MaxRelayLength = 100;

    public static readonly TlsFacts None = new("", "", 0, 0, VerifyValues.None, "", "", "", "", "");

    /// <summary>R47/R68: TLS is active exactly when <c>{tls_version}</c> is non-empty.</summary>
    public bool Active => Version.Length > 0;

    /// <summary>Why <see cref="CnSubject"/> holds a placeholder instead of a CN (R43), for logging at R80's levels.</summary>
    public CnError CnSubjectError { get; init; }

    /// <summary>Why <see cref="CnIssuer"/> holds a placeholder instead of a CN (R43).</summary>
    public CnError CnIssuerError { get; init; }

    /// <param name="peerLeaf">The peer's own certificate (chain entry 0); null when none was presented.</param>
    public static TlsFacts Build(
        ProtocolVersion version, int cipherSuite, string verify, X509CertificateStructure? peerLeaf, DnFormat format)
    {
        ArgumentNullException.ThrowIfNull(verify);
        var (cipherBits, algBits) = CipherNames.Bits(cipherSuite);
        var facts = new TlsFacts(
            TlsVersionNames.Name(version), CipherNames.OpenSslName(cipherSuite), cipherBits, algBits, verify,
            "", "", "", "", "");
        if (peerLeaf is null)
        {
            return facts;
        }

        var cnSubject = CommonName.Extract(peerLeaf.Subject);
        var cnIssuer = CommonName.Extract(peerLeaf.Issuer);
        return facts with
        {
            CertSubject = HexQuoting.Encode(DnRenderer.OneLine(peerLeaf.Subject, format)),
            CertIssuer = HexQuoting.Encode(DnRenderer.OneLine(peerLeaf.Issuer, format)),
            CnSubject = cnSubject.Macro,
            CnIssuer = cnIssuer.Macro,
            CnSubjectError = cnSubject.Error,
            CnIssuerError = cnIssuer.Error,
            // R48 digests the DER; a certificate that reached us parsed from DER re-encodes to the same bytes.
            CertMd5 = Fingerprint.Of(peerLeaf.GetDerEncoded()),
        };
    }

    /// <summary>The macros by sendmail name, in R40's order; the bits are empty too when TLS is not active (R47).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Macros() =>
    [
        new("{tls_version}", Version),
        new("{cipher}", Cipher),
        new("{cipher_bits}", Active ? CipherBits.ToString(CultureInfo.InvariantCulture) : ""),
        new("{alg_bits}", Active ? AlgBits.ToString(CultureInfo.InvariantCulture) : ""),
        new("{verify}", Verify),
        new("{cert_subject}", CertSubject),
        new("{cert_issuer}", CertIssuer),
        new("{cn_subject}", CnSubject),
        new("{cn_issuer}", CnIssuer),
        new("{cert_md5}", CertMd5),
    ];

    /// <summary>R68 part 4, the Received comment: "(version=… cipher=… bits=&lt;cipher_bits&gt; verify=…)".</summary>
    public string ReceivedComment() => $"({ReceivedCommentText()})";

    /// <summary>The same comment without its parentheses, as <c>ReceivedHeader.Build</c>'s tlsComment takes it.</summary>
    public string ReceivedCommentText() =>
        string.Create(CultureInfo.InvariantCulture, $"version={Version} cipher={Cipher} bits={CipherBits} verify={Verify}");

    /// <summary>
    /// R80's per-connection summary (logged at LogLevel &gt;8), with R81's limits: relay ≤100, version ≤16,
    /// verify ≤16, cipher ≤64, each bits value ≤6 characters.
    /// </summary>
    public string LogSummary(string relay) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"STARTTLS=server, relay={Cut(relay, MaxRelayLength)}, version={Cut(Version, 16)}, verify={Cut(Verify, 16)}, cipher={Cut(Cipher, 64)}, bits={Cut(Bits(AlgBits), 6)}/{Cut(Bits(CipherBits), 6)}");

    private static string Bits(int bits) => bits.ToString(CultureInfo.InvariantCulture);

    private static string Cut(string? value, int max) =>
        value is null ? "" : value.Length <= max ? value : value[..max];
}
