namespace Gateway.Protocol.Access;

/// <summary>
/// SPEC R60: relaying granted by the client's certificate. Only a verified certificate counts, and only when
/// its issuer is listed (<c>CertIssuer:</c> RELAY), or its issuer says SUBJECT and its subject is listed
/// (<c>CertSubject:</c> RELAY): a verified certificate alone is not enough, since CACertPath may hold public CAs.
/// </summary>
public static class RelayTls
{
    public static (Verdict Verdict, IReadOnlyList<LookupResult> Lookups) Check(
        AccessMap map, string verify, string certIssuer, string certSubject, CertRegex? issuerRegex, CertRegex? subjectRegex)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (verify is not ("OK" or "TRUSTED"))
        {
            return (Verdict.Continue with { Reason = $"RelayTLS: {{verify}}={(verify.Length == 0 ? "(empty)" : verify)}, no decision" }, []);
        }

        var issuer = LookupResult.In(map, ["CertIssuer:" + (issuerRegex?.Transform(certIssuer) ?? certIssuer)]);
        switch (issuer.Value?.Trim().ToUpperInvariant())
        {
            case "RELAY":
                return (new Verdict(VerdictKind.Relay, Reason: $"RelayTLS: {issuer.MatchedKey} RELAY"), [issuer]);
            case "SUBJECT":
                var subject = LookupResult.In(map, ["CertSubject:" + (subjectRegex?.Transform(certSubject) ?? certSubject)]);
                return string.Equals(subject.Value?.Trim(), "RELAY", StringComparison.OrdinalIgnoreCase)
                    ? (new Verdict(VerdictKind.Relay, Reason: $"RelayTLS: {issuer.MatchedKey} SUBJECT, {subject.MatchedKey} RELAY"), [issuer, subject])
                    : (Verdict.Continue with { Reason = "RelayTLS: issuer says SUBJECT, subject not listed" }, [issuer, subject]);
            default:
                return (Verdict.Continue with { Reason = "RelayTLS: issuer not listed" }, [issuer]);
        }
    }
}
