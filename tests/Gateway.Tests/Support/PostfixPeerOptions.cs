namespace Gateway.Tests.Support;

/// <summary>
/// How a <see cref="PostfixPeer"/> is set up. STARTTLS is offered when <see cref="ServerCertFile"/> is given;
/// with <see cref="CaFile"/> as well, Postfix asks for a client certificate and verifies it against that file.
/// </summary>
internal sealed record PostfixPeerOptions
{
    /// <summary>myhostname: the name in Postfix's greeting, EHLO reply and Received line.</summary>
    public string Hostname { get; init; } = "postfix.peer.test";

    /// <summary>PEM server certificate (chain) for smtpd; copied into the instance's directory.</summary>
    public string? ServerCertFile { get; init; }

    /// <summary>PEM private key for <see cref="ServerCertFile"/>.</summary>
    public string? ServerKeyFile { get; init; }

    /// <summary>PEM CA certificates that client certificates are verified against (smtpd_tls_CAfile).</summary>
    public string? CaFile { get; init; }

    /// <summary>
    /// smtpd_tls_loglevel. At 1 Postfix logs "Trusted", "Untrusted" or "Anonymous TLS connection established";
    /// only from 2 does it log the client certificate's "subject_CN=..., issuer=..." line.
    /// </summary>
    public int TlsLogLevel { get; init; } = 2;

    /// <summary>Further main.cf parameters, applied last (e.g. smtpd_tls_security_level = encrypt).</summary>
    public IReadOnlyDictionary<string, string> MainCf { get; init; } = new Dictionary<string, string>();
}
