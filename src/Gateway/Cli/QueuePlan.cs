namespace Gateway.Cli;

/// <summary>
/// One <c>gateway queue</c> operation: <see cref="Op"/> is the control request's op (list, flush, hold …), <see cref="Id"/>
/// the queue id it acts on (none for list, optional for flush). The socket is found in <see cref="QueueDirectory"/> when
/// given, else in the configuration's Queue:Directory (<see cref="ConfigFile"/>, ./gateway.json, GATEWAY_*).
/// <see cref="File"/>: for <c>gateway map push</c>, the map file's absolute path.
/// </summary>
internal sealed record QueuePlan(string Op, string? Id, string? ConfigFile, string? QueueDirectory, bool Json, string? File = null);
