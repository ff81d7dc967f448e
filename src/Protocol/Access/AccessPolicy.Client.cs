using Gateway.Protocol.Tls;

namespace Gateway.Protocol.Access;

/// <summary>The client-side (relaying) hooks: Try_TLS, Clt_Features, tls_server and tls_rcpt (SPEC R20, R24, R26, R51).</summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// R20, R64: <c>Try_TLS:</c> with R55's host lookup, <paramref name="serverName"/> being <c>{server_name}</c> and
    /// <paramref name="serverAddr"/> <c>{server_addr}</c>. A value of NO (any case, as sendmail's rules match words)
    /// means: do not send STARTTLS, go on in clear text with <c>{verify}</c> NONE; any other value or none means try.
    /// The verdict itself is always Continue: the veto is <see cref="PolicyAnswer.TryTls"/>, and its reason is
    /// sendmail's log text (R59, <c>ruleset=try_tls … status=550 5.7.1 do not try TLS with …</c>).
    /// </summary>
    public static PolicyAnswer TryTls(AccessMap map, string serverName, string serverAddr)
    {
        var lookup = LookupResult.In(map, LookupOrder.Host("Try_TLS", serverName, serverAddr));
        var veto = lookup.Value is { } value && value.Trim().Equals("NO", StringComparison.OrdinalIgnoreCase);
        var reason = (veto, lookup.MatchedKey) switch
        {
            (true, var key) => $"{key} {lookup.Value}: 550 5.7.1 do not try TLS with {serverName.TrimEnd('.')} [{serverAddr}]",
            (false, { } key) => $"{key} {lookup.Value}: not NO, STARTTLS is tried",
            _ => "no entry",
        };
        return new PolicyAnswer(Verdict.Continue with { Reason = reason }, [lookup]) { TryTls = !veto };
    }

    /// <summary>
    /// R51, R64: <c>Clt_Features:</c> with the name and the default of R55's host lookup, but no address step: the
    /// features the client uses towards <paramref name="serverName"/> (<c>{server_name}</c>).
    /// </summary>
    public static PolicyAnswer CltFeatures(AccessMap map, string serverName)
    {
        var lookup = LookupResult.In(map, LookupOrder.Host("Clt_Features", serverName, null, HostSteps.Name | HostSteps.Default));
        var features = lookup.Value is { } value ? ClientFeatures.Parse(value) : ClientFeatures.Default;
        return new PolicyAnswer(Verdict.Continue with { Reason = lookup.MatchedKey ?? "no entry" }, [lookup]) { ClientFeatures = features };
    }

    /// <summary>The <c>TLS_Srv:</c> lookup of tls_server (R55's host lookup, all steps); the PolicyActor caches it per server.</summary>
    public static LookupResult TlsServerLookup(AccessMap map, string serverName, string serverAddr) =>
        LookupResult.In(map, LookupOrder.Host("TLS_Srv", serverName, serverAddr));

    /// <summary>
    /// tls_server (R24, R54 with <c>TLS_Srv:</c>): asked on every connection after the STARTTLS decision or attempt,
    /// whatever its outcome. A refusal decides the connection (<see cref="Policy.ClientTlsDecision.AfterTlsServer"/>).
    /// </summary>
    public static PolicyAnswer TlsServer(AccessMap map, AccessPolicySettings settings, TlsCheckInput input, string serverName, string serverAddr) =>
        TlsServer(TlsServerLookup(map, serverName, serverAddr), map, settings, input, serverName);

    /// <summary>tls_server with the <c>TLS_Srv:</c> lookup already made.</summary>
    public static PolicyAnswer TlsServer(LookupResult lookup, AccessMap map, AccessPolicySettings settings, TlsCheckInput input, string serverName)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(serverName);

        // R54 step 6: a bare CN names {server_name}, the host connected to without its trailing dot (R40); taken from
        // the question itself, so the name checked is always the server this connection is with (R28).
        var verdict = TlsRequirementCheck.Evaluate(input with { PeerName = serverName.TrimEnd('.') }, lookup.Value, settings.ReplyCodes, map.Find);
        var reason = lookup.Found || verdict.Refuses ? $"tls_server: {lookup.MatchedKey ?? "no entry"}, {verdict.Reason}" : "tls_server: no entry";
        return new PolicyAnswer(verdict with { Reason = reason }, [lookup]);
    }

    /// <summary>The <c>TLS_Rcpt:</c> lookup of tls_rcpt (R55's recipient lookup); the PolicyActor caches it per recipient.</summary>
    public static LookupResult TlsRcptLookup(AccessMap map, string recipient) =>
        LookupResult.In(map, LookupOrder.Recipient("TLS_Rcpt", recipient));

    /// <summary>
    /// tls_rcpt (R26, R54 with <c>TLS_Rcpt:</c>): asked before each RCPT. <paramref name="input"/> holds the current
    /// outbound connection's TLS facts (R56) and its <c>{server_name}</c> as PeerName.
    /// </summary>
    public static PolicyAnswer TlsRcpt(AccessMap map, AccessPolicySettings settings, TlsCheckInput input, string recipient) =>
        TlsRcpt(TlsRcptLookup(map, recipient), map, settings, input);

    /// <summary>
    /// tls_rcpt with the <c>TLS_Rcpt:</c> lookup already made. With an entry, R54 decides. Without one, R55: only a
    /// failed DANE check refuses (8.18 moved it here from R54 step 2); anything else, the built-in errors included,
    /// is accepted, since tls_server has already judged the connection itself.
    /// </summary>
    public static PolicyAnswer TlsRcpt(LookupResult lookup, AccessMap map, AccessPolicySettings settings, TlsCheckInput input)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(input);
        var verdict = lookup.Found
            ? TlsRequirementCheck.Evaluate(input, lookup.Value, settings.ReplyCodes, map.Find)
            : DaneWithoutEntry(input.Verify, settings.ReplyCodes) ?? Verdict.Continue with { Reason = "nothing required" };
        return new PolicyAnswer(verdict with { Reason = $"tls_rcpt: {lookup.MatchedKey ?? "no entry"}, {verdict.Reason}" }, [lookup]);
    }

    /// <summary>R55's last step for TLS_Rcpt: a DANE failure refuses with the default code even without an entry.</summary>
    private static Verdict? DaneWithoutEntry(string verify, ReplyCodeStyle style)
    {
        var text = verify switch
        {
            TlsClientVerifyValues.DaneFail => "DANE check failed.",
            TlsClientVerifyValues.DaneNoTls => "DANE: missing STARTTLS.",
            TlsClientVerifyValues.DaneTemp => "DANE check failed temporarily.",
            _ => null,
        };
        if (text is null)
        {
            return null;
        }

        var (code, status) = TlsReplyCodes.For(RequirementPrefix.None, style);
        return Verdict.Reject(code, status, text, $"{{verify}}={verify}");
    }
}
