namespace Gateway.Configuration;

/// <summary>
/// Postfix's stress mode, for slow and idle clients (slowloris): a session that begins while <paramref name="Threshold"/>
/// or more are open gets <paramref name="Timeout"/> as its idle and TLS-handshake timeouts instead of the usual 300 s,
/// so that connections which hold a slot and send nothing free it in seconds when slots run short. Sessions already
/// open keep their timeouts (a mail in the middle of a slow upload is not cut); the mode ends by itself as they close.
/// </summary>
/// <param name="Threshold">Sessions open (Smtp:StressThreshold percent of Smtp:MaxConnections, at least 1).</param>
/// <param name="Timeout">Smtp:StressTimeout; Postfix uses 10 s (smtpd_timeout under stress).</param>
internal sealed record StressSettings(int Threshold, TimeSpan Timeout);
