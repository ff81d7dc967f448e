using System.Net;
using System.Net.Sockets;
using DnsClient;
using Gateway.Protocol.Dns;
using Gateway.Protocol.Session;
using Gateway.Resolver;
using Gateway.Tests.Support;

namespace Gateway.Tests.Resolver;

/// <summary>The resolver's parts below the connection: the cache, the hosts file, IPv4-mapped clients, failures.</summary>
public sealed class ClientResolverTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task An_IPv4_mapped_client_from_a_dual_stack_listener_is_looked_up_under_in_addr_arpa()
    {
        await using var dns = new TinyDnsServer().Pointer("127.0.0.71", "dual.partner.example").Addresses("dual.partner.example", "127.0.0.71");
        var resolver = new ClientResolver(new ServerReverseDns([new NameServer(dns.Endpoint)], Deadline), Deadline);

        var mapped = await resolver.ResolveAsync(IPAddress.Parse("127.0.0.71").MapToIPv6(), CancellationToken.None);
        var plain = await resolver.ResolveAsync(IPAddress.Parse("127.0.0.71"), CancellationToken.None);

        // Asked under in-addr.arpa, and the plain address finds the mapped one's answer in the cache (the same object,
        // so no second lookup). The server's question count is not compared with 1: under load DnsClient may resend a
        // UDP question whose answer was late (seen once in CI), which is its retry policy, not a second lookup.
        Assert.Equal((ClientResolve.Ok, "dual.partner.example"), (mapped.Resolve, mapped.PtrName));
        Assert.Same(mapped, plain);
        Assert.True(dns.PointerQuestions("127.0.0.71") >= 1, "no PTR question under in-addr.arpa for 127.0.0.71");
    }

    [Fact]
    public async Task Concurrent_connections_from_a_new_address_share_one_lookup()
    {
        var source = new CountingDns(DnsOutcome.Found, "mx.example.org", [IPAddress.Parse("192.0.2.7")]);
        var resolver = new ClientResolver(source, Deadline);

        var lookups = Enumerable.Range(0, 20).Select(_ => resolver.ResolveAsync(IPAddress.Parse("192.0.2.7"), CancellationToken.None)).ToArray();
        source.Release();
        var hosts = await Task.WhenAll(lookups);

        Assert.All(hosts, h => Assert.Equal(ClientResolve.Ok, h.Resolve));
        Assert.Equal(1, source.Pointers);
    }

    [Fact]
    public async Task A_source_that_throws_gives_TEMP_not_an_exception()
    {
        var resolver = new ClientResolver(new ThrowingDns(), Deadline);

        var host = await resolver.ResolveAsync(IPAddress.Parse("192.0.2.8"), CancellationToken.None);

        Assert.Equal(ClientResolve.Temp, host.Resolve);
    }

    [Fact]
    public async Task A_full_cache_evicts_the_least_recently_used_answer_only()
    {
        var source = new CountingDns(DnsOutcome.NotFound, null, []);
        source.Release();
        var resolver = new ClientResolver(source, Deadline, capacity: 2);

        await resolver.ResolveAsync(IPAddress.Parse("192.0.2.1"), CancellationToken.None);
        await resolver.ResolveAsync(IPAddress.Parse("192.0.2.2"), CancellationToken.None);
        await resolver.ResolveAsync(IPAddress.Parse("192.0.2.1"), CancellationToken.None);
        await resolver.ResolveAsync(IPAddress.Parse("192.0.2.3"), CancellationToken.None);
        await resolver.ResolveAsync(IPAddress.Parse("192.0.2.1"), CancellationToken.None);
        await resolver.ResolveAsync(IPAddress.Parse("192.0.2.2"), CancellationToken.None);

        // .1 stayed (used last), .2 was evicted by .3 and asked again.
        Assert.Equal(4, source.Pointers);
    }

    [Fact]
    public void The_hosts_file_gives_an_address_its_first_name_and_every_name_its_addresses()
    {
        var table = HostsFileReverseDns.Parse(
        [
            "# comment",
            "127.0.0.1\tlocalhost",
            "127.0.0.1 other-name   # a second line for the same address does not rename it",
            "192.0.2.9  mx.example.org mx   # aliases too",
            "2001:db8::9 mx.example.org",
            "not-an-address name",
            "192.0.2.10",
        ]);

        Assert.Equal("localhost", table.Names[IPAddress.Loopback]);
        Assert.Equal("mx.example.org", table.Names[IPAddress.Parse("192.0.2.9")]);
        Assert.Equal([IPAddress.Parse("192.0.2.9"), IPAddress.Parse("2001:db8::9")], table.Addresses["MX.example.org"]);
        Assert.Equal([IPAddress.Parse("192.0.2.9")], table.Addresses["mx"]);
        Assert.False(table.Names.ContainsKey(IPAddress.Parse("192.0.2.10")));
    }

    [Fact]
    public async Task What_the_hosts_file_does_not_list_goes_to_DNS()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(file, ["192.0.2.9 mx.example.org"]);
            var dns = new CountingDns(DnsOutcome.NotFound, null, []);
            dns.Release();
            var hosts = new HostsFileReverseDns(file, dns);

            Assert.Equal((DnsOutcome.Found, "mx.example.org"), await hosts.PointerAsync(IPAddress.Parse("192.0.2.9"), CancellationToken.None));
            Assert.Equal(DnsOutcome.NotFound, (await hosts.PointerAsync(IPAddress.Parse("192.0.2.10"), CancellationToken.None)).Outcome);
            Assert.Equal(DnsOutcome.Found, (await hosts.AddressesAsync("mx.example.org", AddressFamily.InterNetwork, CancellationToken.None)).Outcome);

            // Listed, but not for IPv6: DNS is asked, as glibc's "files" source lets it.
            Assert.Equal(DnsOutcome.NotFound, (await hosts.AddressesAsync("mx.example.org", AddressFamily.InterNetworkV6, CancellationToken.None)).Outcome);
            Assert.Equal((1, 1), (dns.Pointers, dns.Forwards));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Answers every question the same way, once released; counts the questions.</summary>
    private sealed class CountingDns(DnsOutcome outcome, string? name, IReadOnlyList<IPAddress> addresses) : IReverseDns
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _pointers;
        private int _forwards;

        public int Pointers => Volatile.Read(ref _pointers);

        public int Forwards => Volatile.Read(ref _forwards);

        public void Release() => _released.TrySetResult();

        public async Task<(DnsOutcome Outcome, string? Name)> PointerAsync(IPAddress address, CancellationToken cancel)
        {
            Interlocked.Increment(ref _pointers);
            await _released.Task;
            return (outcome, name);
        }

        public async Task<(DnsOutcome Outcome, IReadOnlyList<IPAddress> Addresses)> AddressesAsync(string host, AddressFamily family, CancellationToken cancel)
        {
            Interlocked.Increment(ref _forwards);
            await _released.Task;
            return (outcome, addresses);
        }
    }

    private sealed class ThrowingDns : IReverseDns
    {
        public Task<(DnsOutcome Outcome, string? Name)> PointerAsync(IPAddress address, CancellationToken cancel) =>
            throw new InvalidOperationException("a resolver bug");

        public Task<(DnsOutcome Outcome, IReadOnlyList<IPAddress> Addresses)> AddressesAsync(string name, AddressFamily family, CancellationToken cancel) =>
            throw new InvalidOperationException("a resolver bug");
    }
}
