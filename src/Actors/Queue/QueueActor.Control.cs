using Akka.Actor;
using Akka.Event;
using Gateway.Protocol.Queue;
using static Gateway.Actors.Queue.QueueControl;

namespace Gateway.Actors.Queue;

/// <summary>
/// <c>gateway queue</c>: list, flush, hold, release, delete, bounce. An operation on one message reads it and saves its
/// entry through the spool like an attempt does, and takes an attempt slot meanwhile, so it never races one.
/// </summary>
public sealed partial class QueueActor
{
    private enum Operation
    {
        Hold,
        Release,
        Delete,
        Bounce,
    }

    private bool Control(object message)
    {
        switch (message)
        {
            case ListQueue:
                Sender.Tell(new QueueList([.. _items.OrderBy(i => i.Value.Summary?.Entry.QueuedAt ?? DateTimeOffset.MaxValue).Select(i => Listing(i.Key, i.Value))]));
                return true;
            case Flush { Id: null }:
                var scheduled = _items.Where(i => i.Value.State == ItemState.Scheduled).Select(i => i.Key).ToList();
                // Dead destinations are tried again too, or the flushed messages would be deferred at once.
                _relay.Tell(Relay.RelayProtocol.Revive.Instance);
                foreach (var id in scheduled)
                {
                    Retry(id, force: true);
                }

                Sender.Tell(new QueueControlDone(true, $"{scheduled.Count} message(s) to be tried now"));
                return true;
            case Flush { Id: { } one }:
                if (_items.TryGetValue(one, out var item) && item.State == ItemState.Scheduled)
                {
                    _relay.Tell(Relay.RelayProtocol.Revive.Instance);
                    Retry(one, force: true);
                    Sender.Tell(new QueueControlDone(true, $"{one}: to be tried now"));
                }
                else
                {
                    Sender.Tell(new QueueControlDone(false, $"{one}: {(item is null ? "no such message" : $"not waiting for a retry ({Describe(item.State)})")}"));
                }

                return true;
            case Hold hold:
                Operate(hold.Id, Operation.Hold);
                return true;
            case Release release:
                Operate(release.Id, Operation.Release);
                return true;
            case Delete delete:
                Operate(delete.Id, Operation.Delete);
                return true;
            case Bounce bounce:
                Operate(bounce.Id, Operation.Bounce);
                return true;
            case OperationLoaded loaded:
                Apply(loaded);
                return true;
            case OperationDone done:
                Finish(done);
                return true;
            default:
                return false;
        }
    }

    private QueueListing Listing(string id, Item item) => item.Summary is { } summary
        ? summary.Listing(id, Describe(item.State))
        : new QueueListing(id, Describe(item.State), 0, DateTimeOffset.MinValue, "", [], 0, null, "(not read from the spool yet)");

    private static string Describe(ItemState state) => state switch
    {
        ItemState.Due => "due",
        ItemState.InFlight => "active",
        ItemState.Scheduled => "deferred",
        _ => "hold",
    };

    private void Operate(string id, Operation operation)
    {
        if (!_items.TryGetValue(id, out var item))
        {
            Sender.Tell(new QueueControlDone(false, $"{id}: no such message"));
            return;
        }

        if (item.State == ItemState.InFlight)
        {
            Sender.Tell(new QueueControlDone(false, $"{id}: in a delivery attempt now; try again when it ends"));
            return;
        }

        Timers.Cancel(TimerKey(id));
        item.State = ItemState.InFlight;
        _inFlight++;
        var requester = Sender;
        _spool.ReadAsync(id).PipeTo(Self, success: m => new OperationLoaded(id, operation, m, requester), failure: _ => new OperationLoaded(id, operation, null, requester));
    }

    private void Apply(OperationLoaded loaded)
    {
        var (id, requester) = (loaded.Id, loaded.Requester);
        if (loaded.Message is not { } message)
        {
            _items.Remove(id);
            requester.Tell(new QueueControlDone(false, $"{id}: no such message"));
            Release();
            return;
        }

        var envelope = message.Envelope;
        var entry = message.State ?? QueueEntry.New(envelope.Id, envelope.ReceivedAt, envelope.Recipients.Count);
        _items[id].Summary = Summary.Of(message, entry);
        switch (loaded.Operation)
        {
            case Operation.Delete:
                _log.Warning("queue: {0}: deleted by the administrator", id);
                _spool.RemoveAsync(id).PipeTo(Self, success: () => new OperationDone(id, null, requester, "deleted", null), failure: e => new OperationDone(id, null, requester, "deleted", e.Message));
                break;
            case Operation.Hold:
                var held = entry with { Held = true };
                _spool.SaveStateAsync(held).PipeTo(Self, success: () => new OperationDone(id, held, requester, "held", null), failure: e => new OperationDone(id, held, requester, "held", e.Message));
                break;
            case Operation.Release:
                var released = entry with { Held = false, NextAttempt = null };
                _spool.SaveStateAsync(released).PipeTo(Self, success: () => new OperationDone(id, released, requester, "released", null), failure: e => new OperationDone(id, released, requester, "released", e.Message));
                break;
            case Operation.Bounce:
                _log.Warning("queue: {0}: bounced by the administrator", id);
                var now = Now();
                var verdict = QueuePlanner.Bounce(envelope, entry with { Held = false }, now, _settings.Schedule, "5.0.0 bounced by the administrator");
                WriteReport(new Attempt(id, message, entry, mayBeRepeat: true), verdict, now);
                requester.Tell(new QueueControlDone(true, $"{id}: bounced"));
                break;
        }
    }

    private void Finish(OperationDone done)
    {
        if (done.Error is { } error)
        {
            done.Requester.Tell(new QueueControlDone(false, $"{done.Id}: not {done.What}: {error}"));
            Schedule(done.Id, _items[done.Id], Now());
            Release();
            return;
        }

        done.Requester.Tell(new QueueControlDone(true, $"{done.Id}: {done.What}"));
        if (done.Entry is null)
        {
            _items.Remove(done.Id);
        }
        else if (done.Entry.Held)
        {
            var item = _items[done.Id];
            item.State = ItemState.Held;
            item.Summary = item.Summary! with { Entry = done.Entry };
        }
        else
        {
            var item = _items[done.Id];
            item.State = ItemState.Due;
            item.Forced = true;
            item.Summary = item.Summary! with { Entry = done.Entry };
            _due.Enqueue(done.Id);
        }

        Release();
    }

    private sealed record OperationLoaded(string Id, Operation Operation, SpooledMessage? Message, IActorRef Requester);

    private sealed record OperationDone(string Id, QueueEntry? Entry, IActorRef Requester, string What, string? Error);
}
