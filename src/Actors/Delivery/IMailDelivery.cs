using Gateway.Actors.Queue;

namespace Gateway.Actors.Delivery;

/// <summary>The next hop (local Maildir now, an SMTP relay later), implemented in Gateway.</summary>
public interface IMailDelivery
{
    /// <param name="mayBeRepeat">
    /// True when an earlier attempt may have got part of the way (after a restart or a deferral):
    /// the implementation must then not create a second copy of what it already delivered.
    /// </param>
    /// <returns>Completes when every recipient has durably received the message; faults otherwise.</returns>
    Task DeliverAsync(SpooledMessage message, bool mayBeRepeat);
}
