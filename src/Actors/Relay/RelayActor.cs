using System.Text;
using Akka.Actor;
using Gateway.Protocol.Routing;

namespace Gateway.Actors.Relay;

/// <summary>
/// The node's outbound side: one <see cref="DestinationActor"/> per next hop, made when the first message for it comes
/// and stopped when it has been idle (<see cref="RelayProtocol.Idle"/>) and no job is on its way to it. It only
/// forwards; every answer goes from the destination to the queue directly.
/// </summary>
public sealed class RelayActor : UntypedActor
{
    private readonly RelaySettings _settings;
    private readonly Dictionary<Route.Relay, IActorRef> _destinations = [];

    // Jobs forwarded to each destination, matched against what it has seen before it may stop.
    private readonly Dictionary<IActorRef, long> _forwarded = [];

    public RelayActor(RelaySettings settings) => _settings = settings;

    public static Props Props(RelaySettings settings) => Akka.Actor.Props.Create(() => new RelayActor(settings));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RelayProtocol.Deliver deliver:
                var destination = Destination(deliver.Destination);
                _forwarded[destination] = _forwarded.GetValueOrDefault(destination) + 1;
                destination.Forward(deliver);
                break;
            case RelayProtocol.Idle idle when _forwarded.GetValueOrDefault(Sender) == idle.Received:
                // Nothing is on its way to it: it can go; the next message for that hop makes a new one.
                Forget(Sender);
                Context.Stop(Sender);
                break;
            case RelayProtocol.Idle:
                // A job crossed its offer: it stays.
                break;
            case RelayProtocol.Revive revive:
                foreach (var child in _destinations.Values)
                {
                    child.Tell(revive);
                }

                break;
            case Terminated terminated:
                Forget(terminated.ActorRef);
                break;
            case RelayProtocol.GetDestinations:
                Sender.Tell(new RelayProtocol.Destinations([.. _destinations.Keys.Select(k => k.ToString())]));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Forget(IActorRef actor)
    {
        _forwarded.Remove(actor);
        foreach (var gone in _destinations.Where(d => d.Value.Equals(actor)).Select(d => d.Key).ToList())
        {
            _destinations.Remove(gone);
        }
    }

    private IActorRef Destination(Route.Relay destination)
    {
        if (!_destinations.TryGetValue(destination, out var actor))
        {
            actor = Context.ActorOf(DestinationActor.Props(destination, _settings), Name(destination));
            Context.Watch(actor);
            _destinations[destination] = actor;
        }

        return actor;
    }

    /// <summary>An actor name from the destination (letters, digits and a few marks are safe in a path), unique with a counter.</summary>
    private string Name(Route.Relay destination)
    {
        var name = new StringBuilder();
        foreach (var c in destination.ToString())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
        }

        return $"{name}-{++_made}";
    }

    private long _made;
}
