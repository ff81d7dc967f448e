namespace Gateway.Protocol.Framing;

/// <summary>What <see cref="LineFramer.Next"/> found.</summary>
public enum Frame
{
    NeedMore,
    Line,
    TooLong,
}
