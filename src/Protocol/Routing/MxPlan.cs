namespace Gateway.Protocol.Routing;

/// <summary>What a domain's MX records say about delivering to it. The set is closed.</summary>
public abstract record MxPlan
{
    private MxPlan() { }

    /// <summary>The hosts to try, in order; the next one after a connection failure or a 4xx greeting.</summary>
    public sealed record Hosts(IReadOnlyList<string> Names) : MxPlan;

    /// <summary>RFC 7505: the domain says it accepts no mail (a single MX of "."); a permanent failure.</summary>
    public sealed record NullMx : MxPlan
    {
        public static readonly NullMx Instance = new();
    }

    /// <summary>RFC 5321 §5.1: this node is the domain's best MX, so relaying on would loop.</summary>
    public sealed record LoopsBack(string Self) : MxPlan;

    /// <summary>The domain does not exist (NXDOMAIN): a permanent failure.</summary>
    public sealed record NoSuchDomain : MxPlan
    {
        public static readonly NoSuchDomain Instance = new();
    }

    /// <summary>DNS could not answer now (SERVFAIL, timeout): try again later.</summary>
    public sealed record Unavailable : MxPlan
    {
        public static readonly Unavailable Instance = new();
    }
}
