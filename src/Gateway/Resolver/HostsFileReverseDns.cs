using System.Net;
using System.Net.Sockets;
using Gateway.Protocol.Dns;

namespace Gateway.Resolver;

/// <summary>
/// /etc/hosts before DNS, as nsswitch's "files dns" orders them: an address listed there has its first name as
/// its PTR name, and a name listed there has its addresses of the asked family; anything else goes to DNS. The file
/// is read again when its modification time or size changes. Small, so read on the caller's thread.
/// </summary>
internal sealed class HostsFileReverseDns(string path, IReverseDns dns) : IReverseDns
{
    private Snapshot? _snapshot;

    public Task<(DnsOutcome Outcome, string? Name)> PointerAsync(IPAddress address, CancellationToken cancel) =>
        Current().Names.TryGetValue(address, out var name) ? Task.FromResult<(DnsOutcome, string?)>((DnsOutcome.Found, name)) : dns.PointerAsync(address, cancel);

    public Task<(DnsOutcome Outcome, IReadOnlyList<IPAddress> Addresses)> AddressesAsync(string name, AddressFamily family, CancellationToken cancel)
    {
        IReadOnlyList<IPAddress> listed = Current().Addresses.TryGetValue(name, out var all) ? [.. all.Where(a => a.AddressFamily == family)] : [];
        return listed.Count > 0 ? Task.FromResult((DnsOutcome.Found, listed)) : dns.AddressesAsync(name, family, cancel);
    }

    /// <summary>The table as the file is now; an unreadable or missing file is an empty one.</summary>
    private Snapshot Current()
    {
        var info = new FileInfo(path);
        var (modified, length) = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && snapshot.Modified == modified && snapshot.Length == length)
        {
            return snapshot;
        }

        string[] lines;
        try
        {
            lines = info.Exists ? File.ReadAllLines(path) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lines = [];
        }

        snapshot = Parse(lines, modified, length);
        Volatile.Write(ref _snapshot, snapshot);
        return snapshot;
    }

    /// <summary>hosts(5): an address, then its canonical name and aliases; # starts a comment.</summary>
    internal static Snapshot Parse(IEnumerable<string> lines, DateTime modified = default, long length = 0)
    {
        var names = new Dictionary<IPAddress, string>();
        var addresses = new Dictionary<string, List<IPAddress>>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            var fields = (line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? line[..hash] : line)
                .Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !IPAddress.TryParse(fields[0], out var address))
            {
                continue;
            }

            // The first line that lists an address gives its name, as glibc's gethostbyaddr reads the file.
            names.TryAdd(address, fields[1]);
            foreach (var name in fields.Skip(1))
            {
                if (!addresses.TryGetValue(name, out var list))
                {
                    addresses[name] = list = [];
                }

                list.Add(address);
            }
        }

        return new Snapshot(modified, length, names, addresses);
    }

    internal sealed record Snapshot(DateTime Modified, long Length, IReadOnlyDictionary<IPAddress, string> Names, IReadOnlyDictionary<string, List<IPAddress>> Addresses);
}
