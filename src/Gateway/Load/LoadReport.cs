namespace Gateway.Load;

/// <summary>
/// The result of one run, as printed and as written with <c>--json</c>. Counts add up:
/// <see cref="Attempted"/> = <see cref="Accepted"/> + <see cref="Failed"/> + <see cref="Unfinished"/>.
/// Warm-up is excluded from every figure except the two warm-up counts.
/// </summary>
internal sealed record LoadReport
{
    public required string Target { get; init; }

    public required int Concurrency { get; init; }

    public required bool StartTls { get; init; }

    public required int Size { get; init; }

    public required int PerConnection { get; init; }

    public double? Rate { get; init; }

    /// <summary>"count reached", "duration reached", "interrupted", "timeout", or "all clients finished".</summary>
    public required string StoppedBy { get; init; }

    public required double WarmupSeconds { get; init; }

    public required double MeasuredSeconds { get; init; }

    public required long Attempted { get; init; }

    public required long Accepted { get; init; }

    public required long Failed { get; init; }

    /// <summary>Messages still in progress when the run was cut short (Ctrl-C or the hard timeout).</summary>
    public required long Unfinished { get; init; }

    public required long Sessions { get; init; }

    public required long SessionsFailed { get; init; }

    public required long Handshakes { get; init; }

    public required long HandshakesFailed { get; init; }

    public required double MessagesPerSecond { get; init; }

    public required double SessionsPerSecond { get; init; }

    public required double HandshakesPerSecond { get; init; }

    /// <summary>connect (TCP connect to greeting), handshake (STARTTLS 220 to TLS up), transaction (MAIL to the 250 after the dot), session.</summary>
    public required IReadOnlyDictionary<string, LatencySummary> LatencyMs { get; init; }

    public required IReadOnlyDictionary<string, long> Replies { get; init; }

    public required IReadOnlyDictionary<string, ErrorCount> Errors { get; init; }

    /// <summary>{verify} of the server's certificate per session, as sendmail names the values.</summary>
    public required IReadOnlyDictionary<string, long> TlsVerify { get; init; }

    /// <summary>Protocol version and cipher suite per session.</summary>
    public required IReadOnlyDictionary<string, long> TlsSuites { get; init; }

    public required long WarmupMessages { get; init; }

    public required long WarmupSessions { get; init; }

    /// <summary>--hold only: how many sessions were open at once.</summary>
    public HoldSummary? Hold { get; init; }

    /// <summary>CPU time this process used in the measured phase: the load tool shares the machine with what it measures.</summary>
    public required double ProcessCpuSeconds { get; init; }
}

/// <summary>
/// A --hold run: the most sessions open and idle at once, how many failed to open, and how long it took until every
/// client had its session open or had failed (null if that never happened).
/// </summary>
internal sealed record HoldSummary(int PeakHeld, int FailedToOpen, double? AllOpenSeconds);

/// <summary>How often an error kind happened, with the first detail seen.</summary>
internal sealed record ErrorCount(long Count, string First);
