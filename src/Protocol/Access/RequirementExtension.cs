namespace Gateway.Protocol.Access;

/// <summary>One <c>+ext</c> of a TLS requirement (SPEC R52); all of them must pass (R54 step 6).</summary>
public abstract record RequirementExtension
{
    /// <summary><c>CN</c> (null: the peer's own name) or <c>CN:name</c>: <c>{cn_subject}</c> must equal it, any case.</summary>
    public sealed record CommonName(string? Name) : RequirementExtension;

    /// <summary><c>CS:dn</c>: <c>{cert_subject}</c> must equal the encoded DN.</summary>
    public sealed record CertSubject(string Dn) : RequirementExtension;

    /// <summary><c>CI:dn</c>: <c>{cert_issuer}</c> must equal the encoded DN.</summary>
    public sealed record CertIssuer(string Dn) : RequirementExtension;

    /// <summary><c>CITag:T</c>: the map must hold <c>T:{cert_issuer}</c> with the value OK.</summary>
    public sealed record IssuerTag(string Tag) : RequirementExtension;
}
