using Akka.Actor;
using Gateway.Actors.Queue;

namespace Gateway.Control;

/// <summary>
/// Turns one request line into a <see cref="QueueControl"/> message, asks the node's QueueActor and turns its reply
/// into the answer. The Ask is the edge's one request with a real timeout (STYLE: Ask only at the edge).
/// Trust: the line comes from the node's own user (the socket is 0600), but is still checked like input.
/// Not here: the socket and the line framing (<see cref="ControlSocket"/>), what the operations do (QueueActor.Control).
/// </summary>
internal sealed class ControlHandler(IActorRef queue, TimeSpan timeout, Action? stop = null)
{
    /// <summary>The node's MapReplicaActor for <c>map-push</c> and <c>map-status</c>; null: those are refused.</summary>
    public IActorRef? Maps { get; init; }

    /// <summary>DontBlameSendmail, for the map file's safety checks as at start-up.</summary>
    public IReadOnlySet<string> DontBlameSendmail { get; init; } = new HashSet<string>();

    public async Task<ControlAnswer> AnswerAsync(ReadOnlyMemory<byte> line, CancellationToken cancel)
    {
        if (ControlCodec.Request(line.Span) is not { } request)
        {
            return ControlAnswer.Refused(ControlAnswer.BadRequest, "not a JSON request object, e.g. {\"op\":\"list\"}");
        }

        if (request is { Op: ControlRequest.Drain, Id: null } && stop is not null)
        {
            // The host's stop runs the same graceful drain as SIGTERM (CoordinatedShutdown's service-unbind first).
            stop();
            return new ControlAnswer(true, "draining: new clients get 421 4.3.2, transactions in flight finish (Smtp:DrainTimeout), then the node exits");
        }

        if (request is { Op: ControlRequest.MapPush or ControlRequest.MapStatus, Id: null } && Maps is { } maps)
        {
            var map = new MapControl(maps, DontBlameSendmail, timeout);
            return request.Op == ControlRequest.MapPush ? await map.PushAsync(request.File, cancel).ConfigureAwait(false) : await map.StatusAsync(cancel).ConfigureAwait(false);
        }

        if (Message(request) is not { } message)
        {
            return ControlAnswer.Refused(ControlAnswer.BadRequest, Why(request));
        }

        object reply;
        try
        {
            reply = await queue.Ask<object>(message, timeout, cancel).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return ControlAnswer.Refused(ControlAnswer.Timeout, $"the queue did not answer within {timeout.TotalSeconds:0} s");
        }

        return reply switch
        {
            QueueControl.QueueList list => new ControlAnswer(true, $"{list.Messages.Count} message(s)", list.Messages),
            QueueControl.QueueControlDone done => new ControlAnswer(done.Ok, done.Text),
            _ => throw new InvalidOperationException($"the queue answered {request.Op} with {reply.GetType().Name}"),
        };
    }

    /// <summary>The queue's message for a well-formed request; null for anything else.</summary>
    private static object? Message(ControlRequest request) => (request.Op, Id(request.Id)) switch
    {
        (ControlRequest.List, null) when request.Id is null => QueueControl.ListQueue.Instance,
        (ControlRequest.Flush, var id) when request.Id is null || id is not null => new QueueControl.Flush(id),
        (ControlRequest.Hold, { } id) => new QueueControl.Hold(id),
        (ControlRequest.Release, { } id) => new QueueControl.Release(id),
        (ControlRequest.Delete, { } id) => new QueueControl.Delete(id),
        (ControlRequest.Bounce, { } id) => new QueueControl.Bounce(id),
        _ => null,
    };

    private static string Why(ControlRequest request) => request.Op switch
    {
        null => "the request has no \"op\"",
        ControlRequest.List => "list takes no id",
        ControlRequest.Flush or ControlRequest.Hold or ControlRequest.Release or ControlRequest.Delete or ControlRequest.Bounce => request.Id is null
            ? $"{request.Op} needs a queue id (\"id\")"
            : $"'{Printable(request.Id)}' is not a queue id",
        ControlRequest.Drain => "drain takes no id (and a node started without a host cannot be drained from its socket)",
        ControlRequest.MapPush or ControlRequest.MapStatus => "map operations take no id (and need a node with an access-map replica)",
        _ => $"unknown op '{Printable(request.Op)}' (list, flush, hold, release, delete, bounce, drain, map-push, map-status)",
    };

    /// <summary>A queue id as given, when it could be one: printable ASCII, not blank, at most 64 characters.</summary>
    private static string? Id(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => c is > ' ' and <= '~') ? id : null;

    // The op is echoed in the answer: cut it short and keep it printable.
    private static string Printable(string text) => new([.. text.Take(32).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
}
