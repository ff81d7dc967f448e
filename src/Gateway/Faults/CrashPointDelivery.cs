using Gateway.Actors.Delivery;
using Gateway.Actors.Queue;

namespace Gateway.Faults;

/// <summary>Local delivery with the <c>delivering</c> crash point after its copies are written (test hook, see <see cref="CrashPoint"/>).</summary>
internal sealed class CrashPointDelivery(IMailDelivery inner, CrashPoint point) : IMailDelivery
{
    public async Task DeliverAsync(SpooledMessage message, IReadOnlyList<int> recipients, bool mayBeRepeat)
    {
        await inner.DeliverAsync(message, recipients, mayBeRepeat).ConfigureAwait(false);
        point.Reached(CrashPlace.Delivering);
    }
}
