namespace Gateway.Cli;

/// <summary>
/// A command line that cannot be run (EX_USAGE, 64): the message names the switch and the reason. Thrown where
/// a check needs more than one switch; a single value is refused by its option's parser (<see cref="Switches"/>).
/// </summary>
internal sealed class UsageError(string message) : Exception(message);
