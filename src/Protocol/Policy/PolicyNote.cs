namespace Gateway.Protocol.Policy;

/// <summary>A log line a verdict calls for, with sendmail's LogLevel threshold (SPEC R80: logged when LogLevel is greater).</summary>
public readonly record struct PolicyNote(int LogAbove, string Text);
