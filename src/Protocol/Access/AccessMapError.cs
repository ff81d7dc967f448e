namespace Gateway.Protocol.Access;

/// <summary>An access map that cannot be used: the message names the file and the line, as makemap does.</summary>
public sealed class AccessMapError(string file, int line, string reason)
    : Exception($"{file}, line {line}: {reason}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
