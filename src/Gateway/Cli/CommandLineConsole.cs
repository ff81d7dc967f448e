namespace Gateway.Cli;

/// <summary>What a command writes to and what interrupts it: the process's console in Program.cs, string writers in tests.</summary>
/// <param name="Progress">Where <c>gateway load</c> shows its running counts; null when nobody watches (stderr redirected).</param>
/// <param name="Interrupt">
/// Called by a command that stops early on request (<c>gateway load</c>'s Ctrl-C and SIGTERM). Only then does the process
/// take the signals over, so <c>gateway run</c> keeps the host's own shutdown handling.
/// </param>
internal sealed record CommandLineConsole(TextWriter Output, TextWriter Error, TextWriter? Progress, Func<CancellationToken> Interrupt)
{
    /// <summary>Writers only: no progress, never interrupted.</summary>
    public CommandLineConsole(TextWriter output, TextWriter error)
        : this(output, error, null, () => CancellationToken.None)
    {
    }
}
