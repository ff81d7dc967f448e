using Akka.Actor;
using Gateway.Actors.Policy;
using Gateway.Protocol.Access;
using Microsoft.Extensions.Logging;

namespace Gateway.Access;

/// <summary>
/// Watches Access:MapFile and publishes every good new version to the cluster through the node's MapReplicaActor
/// (<see cref="MapReplicaProtocol.PublishMap"/>), which hands it to every node's PolicyActor whole.
/// It looks once a second at the file's modification time and size, so an edit is in force within 2 s, whether the
/// file was rewritten in place or renamed over (which is the safe way: a reader never sees half a file). A version
/// that cannot be read or parsed is logged with the file and line, and the last good map stays in force.
/// The file is read on a thread-pool thread, never on an actor's.
/// </summary>
internal sealed partial class AccessMapWatcher : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly IActorRef _replica;
    private readonly string _queueDirectory;
    private readonly IActorRef _policy;
    private readonly ILogger _log;
    private readonly IReadOnlySet<string> _dontBlame;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private AccessMapFile.Stamp? _seen;

    /// <param name="policy">Told <see cref="PolicyProtocol.MapReloadFailed"/> when an edit cannot be used, for the node's status.</param>
    /// <param name="queueDirectory">Where the digest of the last published file is kept (<see cref="PublishedMapFile"/>).</param>
    public AccessMapWatcher(string path, AccessMapFile.Stamp loaded, IActorRef replica, IActorRef policy, string queueDirectory, ILogger log, IReadOnlySet<string> dontBlame, TimeSpan interval)
    {
        _queueDirectory = queueDirectory;
        _replica = replica;
        _path = path;
        _seen = loaded;
        _policy = policy;
        _log = log;
        _dontBlame = dontBlame;
        _loop = WatchAsync(interval);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task WatchAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            var now = AccessMapFile.Current(_path);
            if (now == _seen)
            {
                continue;
            }

            _seen = now;
            if (now is null)
            {
                Failed($"{_path}: no such file");
                continue;
            }

            try
            {
                var loaded = AccessMapFile.Load(_path, _dontBlame);
                _seen = loaded.Stamp;
                _replica.Tell(new MapReplicaProtocol.PublishMap(loaded.Text, _path));
                PublishedMapFile.Write(_queueDirectory, MapRelease.DigestOf(loaded.Text));
                LogReloaded(_log, _path, loaded.Map.Count);
            }
            catch (Exception e) when (e is AccessMapError or IOException or UnauthorizedAccessException)
            {
                Failed(e.Message);
            }
        }
    }

    private void Failed(string reason)
    {
        _policy.Tell(new PolicyProtocol.MapReloadFailed(reason));
        LogReloadFailed(_log, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "access map {File} reloaded: {Entries} entries, handed to the cluster's replica")]
    private static partial void LogReloaded(ILogger log, string file, int entries);

    [LoggerMessage(Level = LogLevel.Error, Message = "access map not reloaded, the last good one stays in force: {Reason}")]
    private static partial void LogReloadFailed(ILogger log, string reason);
}
