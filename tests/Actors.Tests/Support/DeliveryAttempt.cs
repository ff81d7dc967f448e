namespace Gateway.Actors.Tests.Support;

/// <summary>One call of <see cref="Gateway.Actors.Delivery.IMailDelivery.DeliverAsync"/> as a fake saw it.</summary>
public sealed record DeliveryAttempt(string Id, bool MayBeRepeat);
