namespace Gateway.Protocol.Dns;

/// <summary>How one DNS question was answered, as far as the reverse check cares (RFC 1035 §4.1.1 RCODEs, folded).</summary>
public enum DnsOutcome
{
    /// <summary>Records of the asked type came back.</summary>
    Found,

    /// <summary>NXDOMAIN, or an answer without records of that type: a permanent "no".</summary>
    NotFound,

    /// <summary>SERVFAIL, a timeout, no server reachable: ask again later.</summary>
    TempFail,
}
