namespace Gateway.Actors.Tests.Support;

/// <summary>One call of <see cref="Gateway.Actors.Delivery.IMailDelivery.DeliverAsync"/> as a fake saw it.</summary>
public sealed record DeliveryAttempt(string Id, bool MayBeRepeat)
{
    /// <summary>The envelope indexes asked for (not part of equality: most tests only care which message and how).</summary>
    public IReadOnlyList<int> Recipients { get; init; } = [];

    public bool Equals(DeliveryAttempt? other) => other is not null && Id == other.Id && MayBeRepeat == other.MayBeRepeat;

    public override int GetHashCode() => HashCode.Combine(Id, MayBeRepeat);
}
