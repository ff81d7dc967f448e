namespace Gateway.Actors.Delivery;

/// <summary>The result of one delivery attempt of one message: the next hop took it, or it must wait.</summary>
public abstract record DeliveryOutcome(string Id)
{
    private DeliveryOutcome(string id, bool _) : this(id) { }

    public sealed record Delivered(string Id) : DeliveryOutcome(Id, true);

    /// <summary>A temporary failure: the message stays in the spool and is tried again later.</summary>
    public sealed record Deferred(string Id, string Reason) : DeliveryOutcome(Id, true);
}
