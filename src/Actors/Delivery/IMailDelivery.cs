using Gateway.Actors.Queue;

namespace Gateway.Actors.Delivery;

/// <summary>Local delivery (the Maildir), implemented in Gateway; the SMTP relay is the Relay actors'.</summary>
public interface IMailDelivery
{
    /// <param name="mayBeRepeat">
    /// True when an earlier attempt may have got part of the way (after a restart or a deferral):
    /// the implementation must then not create a second copy of what it already delivered.
    /// </param>
    /// <returns>Completes when every one of <paramref name="recipients"/> has durably received the message; faults otherwise.</returns>
    /// <param name="recipients">Indexes into the envelope's recipients: the ones routed to this delivery.</param>
    Task DeliverAsync(SpooledMessage message, IReadOnlyList<int> recipients, bool mayBeRepeat);
}
