namespace Gateway.Protocol.Tls;

/// <summary>Which OpenSSL one-line DN rendering to reproduce (SPEC R42 step 4; config "openssl3" / "legacy").</summary>
public enum DnFormat
{
    /// <summary>OpenSSL 3.x: "/" and "+" in values get a "\" in front; a multi-valued RDN is joined with "+".</summary>
    OpenSsl3,

    /// <summary>OpenSSL 0.9.x: no escaping, every AVA starts with "/" (spoofable, SPEC R86).</summary>
    Legacy,
}
