using System.Net;
using Gateway.Cli;

namespace Gateway.Load;

/// <summary>
/// What one <c>gateway load</c> run does, as parsed from its command line. The run is bounded by
/// <see cref="Messages"/> or <see cref="Duration"/> (whichever comes first when both are set), and always by
/// <see cref="Timeout"/>.
/// </summary>
internal sealed record LoadPlan
{
    public required HostPort Target { get; init; }

    /// <summary>Simulated clients, each one actor with at most one connection at a time.</summary>
    public int Concurrency { get; init; } = 10;

    /// <summary>Measured messages to send (warm-up excluded); null when only <see cref="Duration"/> bounds the run.</summary>
    public long? Messages { get; init; }

    /// <summary>Length of the measured phase; null when only <see cref="Messages"/> bounds the run.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Bytes per message, headers included, before dot-stuffing (none is needed: no line starts with a dot).</summary>
    public int Size { get; init; } = 2048;

    /// <summary>Transactions per connection before QUIT (RFC 5321 §3.3: MAIL may follow a completed transaction).</summary>
    public int PerConnection { get; init; } = 1;

    public bool StartTls { get; init; }

    /// <summary>
    /// --hold: each client opens one session (EHLO, and STARTTLS with EHLO again when asked), then holds it idle
    /// without sending mail, until <see cref="Duration"/> has passed since all were open, or Ctrl-C. For
    /// measuring what idle sessions cost a server.
    /// </summary>
    public bool Hold { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    public string? CaFile { get; init; }

    /// <summary>Messages per second over all clients, or null for as fast as the clients go.</summary>
    public double? Rate { get; init; }

    public string From { get; init; } = "load@load.test";

    public string To { get; init; } = "load@localhost";

    public string Helo { get; init; } = "load.test";

    /// <summary>Local addresses to connect from, spread over the clients; empty lets the kernel choose.</summary>
    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;

    /// <summary>The hard limit on the whole run, warm-up included: after it the partial report is printed.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>How long a client waits for the connection, each reply and the TLS handshake.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string? JsonFile { get; init; }
}
