using System.Collections.Immutable;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.DistributedData.Durable;
using Akka.Event;
using Akka.Serialization;

namespace Gateway.Replication;

/// <summary>
/// Akka.DistributedData's durable store (akka.cluster.distributed-data.durable.store-actor-class) as one file per
/// durable key under <c>&lt;Queue:Directory&gt;/ddata</c>, each replaced atomically: written to a temporary file,
/// fsynced, renamed over the old one, and the directory fsynced, so a crash leaves the old version or the new, never
/// half of one (the spool's own rule). It keeps the few durable keys a gateway has (the access map) across restarts.
/// <para>
/// Why not Akka.DistributedData.LightningDB: the LightningDB versions the package feed serves (0.23.1, 0.24.0) are not
/// binary compatible with it (MissingMethodException in LightningExtensions.AsEnumerable at the first load), and the
/// version it was built against is not served. A key's whole value is rewritten on each change either way.
/// </para>
/// Runs on the durable store's pinned dispatcher (Akka's default for it), so its blocking writes hold up no other actor.
/// </summary>
internal sealed class FileDurableStore : ReceiveActor
{
    private const string Suffix = ".ddata";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _directory;
    private readonly SerializerWithStringManifest _serializer;
    private readonly string _manifest;

    public FileDurableStore(Config config)
    {
        _directory = config.GetString("file.dir", null) is { Length: > 0 } dir
            ? dir
            : throw new ConfigurationException("akka.cluster.distributed-data.durable.file.dir is not set");
        _serializer = (SerializerWithStringManifest)Context.System.Serialization.FindSerializerForType(typeof(DurableDataEnvelope));
        _manifest = _serializer.Manifest(new DurableDataEnvelope(Akka.DistributedData.GCounter.Empty));

        Receive<LoadAll>(_ => LoadAll());
        Receive<Store>(Store);
    }

    private void LoadAll()
    {
        var loaded = ImmutableDictionary.CreateBuilder<string, DurableDataEnvelope>();
        string[] files;
        try
        {
            Directory.CreateDirectory(_directory);
            files = Directory.GetFiles(_directory, "*" + Suffix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Start with nothing stored rather than not at all: the other nodes send the values again.
            _log.Error("replicated data directory {0} not readable, starting without a stored copy: {1}", _directory, e.Message);
            files = [];
        }

        foreach (var file in files)
        {
            var key = Decode(Path.GetFileNameWithoutExtension(file));
            try
            {
                loaded[key] = (DurableDataEnvelope)_serializer.FromBinary(File.ReadAllBytes(file), _manifest);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SerializationException or InvalidCastException)
            {
                // A file that cannot be read is skipped, not fatal: the value comes back from the other nodes by gossip.
                _log.Error("replicated data file {0} not loaded, the other nodes will send it again: {1}", file, e.Message);
            }
        }

        if (loaded.Count > 0)
        {
            Sender.Tell(new LoadData(loaded.ToImmutable()));
        }

        Sender.Tell(LoadAllCompleted.Instance);
    }

    private void Store(Store store)
    {
        try
        {
            Write(Path.Combine(_directory, Encode(store.Key) + Suffix), _serializer.ToBinary(store.Data));
            store.Reply?.ReplyTo.Tell(store.Reply.SuccessMessage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("replicated data {0} not stored durably: {1}", store.Key, e.Message);
            store.Reply?.ReplyTo.Tell(store.Reply.FailureMessage);
        }
    }

    /// <summary>Temporary file, fsync, rename over, fsync of the directory: the old version or the new after a crash.</summary>
    private void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(_directory);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        Delivery.DirectorySync.Sync(_directory);
    }

    /// <summary>A key as a file name: ASCII letters, digits and '-' as they are, any other byte (the escape '_' too) as _XX hex.</summary>
    private static string Encode(string key)
    {
        var name = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            name.Append(char.IsAsciiLetterOrDigit((char)b) || b == '-' ? ((char)b).ToString() : $"_{b:x2}");
        }

        return name.ToString();
    }

    private static string Decode(string name)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '_' && i + 2 < name.Length && byte.TryParse(name.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)name[i]);
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
