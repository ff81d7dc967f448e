using Gateway.Protocol.Access;

namespace Gateway.Actors.Policy;

/// <summary>
/// Questions to the node's <see cref="PolicyActor"/> and its answers. Every question carries an id the answer
/// repeats (<see cref="PolicyVerdict"/>), so a connection can match the answer to what it asked without Ask:
/// it stashes its input until the verdict arrives.
/// </summary>
public static class PolicyProtocol
{
    public abstract record Question(long Id);

    /// <summary>Classic <c>Connect:</c> check at connection start.</summary>
    public sealed record CheckConnect(long Id, string ClientName, string ClientAddr) : Question(Id);

    /// <summary>R63: which features (STARTTLS, the certificate request) this client gets.</summary>
    public sealed record SrvFeatures(long Id, string ClientName, string ClientAddr) : Question(Id);

    /// <summary>tls_client after the handshake (<paramref name="When"/> STARTTLS, R10) and at every MAIL (R11).</summary>
    public sealed record CheckTlsClient(long Id, TlsCheckInput Input, string ClientName, string ClientAddr, string When) : Question(Id);

    /// <summary><c>From:</c> for the envelope sender ("" for the null sender).</summary>
    public sealed record CheckMail(long Id, string Sender) : Question(Id);

    /// <summary>A recipient: <c>To:</c>, then relaying (RelayTLS R60, <c>Connect:</c> RELAY, <c>To:</c> RELAY) unless local.</summary>
    public sealed record CheckRcpt(
        long Id, string Recipient, bool Local, bool ClientMayRelay, string Verify, string CertIssuer, string CertSubject) : Question(Id);

    /// <summary>The answer to the question with the same id.</summary>
    public sealed record PolicyVerdict(long Id, PolicyAnswer Answer)
    {
        public Verdict Verdict => Answer.Verdict;
    }

    /// <summary>A new map, read and parsed by whoever watches the file; swapped in whole, and the cache emptied.</summary>
    public sealed record ReplaceMap(AccessMap Map, string Source);

    /// <summary>Reading the map again failed: the last good map stays; the reason is kept for the status.</summary>
    public sealed record MapReloadFailed(string Reason);

    public sealed record GetPolicyStatus
    {
        public static readonly GetPolicyStatus Instance = new();
    }

    /// <summary>For health checks and <c>gateway status</c>.</summary>
    public sealed record PolicyStatus(string Source, int Entries, int Cached, long Hits, long Misses, long Reloads, string? LastReloadError);
}
