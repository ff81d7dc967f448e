namespace Gateway.Protocol.Session;

/// <summary>
/// What the access map decided about this client for the whole session, learnt before the greeting
/// (<c>Connect:</c> and <c>Srv_Features:</c>, SPEC R63). Immutable like <see cref="SessionState"/>, which holds it,
/// and, like the client's host, kept across STARTTLS (R8 forgets what the client said, not what the map said).
/// </summary>
/// <param name="MayRelay"><c>Connect:</c> RELAY: every recipient may be relayed for this client.</param>
/// <param name="DiscardAll"><c>Connect:</c> DISCARD: every message is accepted, then dropped (sendmail's $#discard).</param>
/// <param name="TlsHidden">Srv_Features <c>S</c>: STARTTLS is neither offered nor accepted (R63).</param>
/// <param name="RequestClientCert">Srv_Features <c>V</c>/<c>v</c>: ask for a client certificate or not; null: as configured.</param>
public sealed record ClientPolicy(bool MayRelay = false, bool DiscardAll = false, bool TlsHidden = false, bool? RequestClientCert = null)
{
    /// <summary>No map, or no entry for this client.</summary>
    public static readonly ClientPolicy None = new();
}
