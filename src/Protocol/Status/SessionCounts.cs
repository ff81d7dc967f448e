namespace Gateway.Protocol.Status;

/// <summary>SMTP sessions on one node: open now, of them encrypted now (STARTTLS or TLS on connect), and accepted since start.</summary>
public sealed record SessionCounts(int Open, int Tls, long Total)
{
    /// <summary>The share of open sessions that are encrypted, 0 to 1; 0 when none is open.</summary>
    public double TlsShare => Open == 0 ? 0 : (double)Tls / Open;
}
