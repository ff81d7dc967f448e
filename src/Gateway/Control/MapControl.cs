using Akka.Actor;
using Gateway.Access;
using Gateway.Actors.Policy;
using Gateway.Protocol.Access;

namespace Gateway.Control;

/// <summary>
/// The control socket's map operations: <c>map-push</c> reads the named file with every check start-up makes (R34's
/// file safety, the parse with file and line) and publishes it through the node's MapReplicaActor; <c>map-status</c>
/// asks the replica which version runs here. A file that fails a check changes nothing anywhere.
/// </summary>
internal sealed class MapControl(IActorRef maps, IReadOnlySet<string> dontBlame, TimeSpan timeout)
{
    public async Task<ControlAnswer> PushAsync(string? file, CancellationToken cancel)
    {
        if (file is null || !Path.IsPathFullyQualified(file))
        {
            return ControlAnswer.Refused(ControlAnswer.BadRequest, "map-push needs the map file's absolute path (\"file\")");
        }

        AccessMapFile.Loaded loaded;
        try
        {
            // Read on this thread-pool thread, never on an actor's; the same checks as Access:MapFile at start.
            loaded = AccessMapFile.Load(file, dontBlame);
        }
        catch (Exception e) when (e is AccessMapError or IOException or UnauthorizedAccessException)
        {
            return new ControlAnswer(false, $"not published, nothing changed: {e.Message}");
        }

        var answer = await AskAsync(new MapReplicaProtocol.PublishMap(loaded.Text, file), cancel).ConfigureAwait(false);
        if (answer is not MapReplicaProtocol.MapPublished published)
        {
            return answer as ControlAnswer ?? new ControlAnswer(false, $"not published: {((MapReplicaProtocol.MapPublishRefused)answer).Reason}");
        }

        var status = await StatusAsync(cancel).ConfigureAwait(false);
        var text = (published.Changed, published.Confirmed) switch
        {
            (false, _) => $"unchanged: the cluster already runs {published.Release.Describe()}",
            (true, true) => $"published {published.Release.Describe()} ({loaded.Map.Count} entries): every member has it",
            (true, false) => $"published {published.Release.Describe()} ({loaded.Map.Count} entries) here; not every member confirmed within {timeout.TotalSeconds:0} s, gossip carries it to them when they are reachable",
        };
        return new ControlAnswer(true, text, Map: status.Map);
    }

    public async Task<ControlAnswer> StatusAsync(CancellationToken cancel)
    {
        var answer = await AskAsync(MapReplicaProtocol.GetMapStatus.Instance, cancel).ConfigureAwait(false);
        if (answer is not MapReplicaProtocol.MapStatus status)
        {
            return (ControlAnswer)answer;
        }

        var view = MapView.Of(status);
        return new ControlAnswer(true, view.Describe(), Map: view);
    }

    /// <summary>The replica's answer, or the control answer for a timeout (the edge's one Ask, STYLE).</summary>
    private async Task<object> AskAsync(object message, CancellationToken cancel)
    {
        try
        {
            return await maps.Ask<object>(message, timeout, cancel).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return ControlAnswer.Refused(ControlAnswer.Timeout, $"the node's access-map replica did not answer within {timeout.TotalSeconds:0} s");
        }
    }
}
