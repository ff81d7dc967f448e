namespace Gateway.Protocol.Replies;

/// <summary>An RFC 3463 enhanced status code, class.subject.detail.</summary>
public readonly record struct EnhancedStatus(int Class, int Subject, int Detail)
{
    public override string ToString() => $"{Class}.{Subject}.{Detail}";
}
