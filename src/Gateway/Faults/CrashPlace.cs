namespace Gateway.Faults;

/// <summary>Where <see cref="CrashPoint"/> can stop the process, in the order a message passes them.</summary>
internal enum CrashPlace
{
    Data,
    Committed,
    Delivering,
}
