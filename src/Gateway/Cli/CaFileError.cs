namespace Gateway.Cli;

/// <summary>A CA or output file that <c>gateway ca</c> cannot use; the message names the file.</summary>
internal sealed class CaFileError(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
