using System.Net;
using System.Text;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Connection;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Replies;
using Gateway.Protocol.Session;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>
/// A session on a PROXY listener: it reads the header alone (pull mode, however the bytes are cut), tells its parent
/// the header's client and waits for its admission before anything else; the header's source is the client the
/// lookup and the replies speak of; a bad header or none in time closes without a reply.
/// </summary>
public sealed class ConnectionProxyTests : TestKit
{
    private static readonly ConnectionSettings Proxied = TestSettings.Connection with { ProxyProtocol = true, ProxyTimeout = TimeSpan.FromSeconds(5) };

    private readonly VirtualTime _time;

    public ConnectionProxyTests(ITestOutputHelper output)
        : base(VirtualTime.Hocon, output)
    {
        _time = new VirtualTime(Sys);
    }

    [Fact]
    public async Task A_header_cut_anywhere_names_the_client_and_what_follows_it_is_the_first_command()
    {
        var resolver = new RecordingResolver();
        var connection = FakeConnection.OpenAsChild(this, new InMemorySpool(), CreateTestProbe(), Proxied with { Resolver = resolver });
        await connection.SendAsync("PROXY TCP4 192.0.2.7 198.51.100.25 40000 ");
        await connection.SendAsync("25\r\nEHLO client.example\r\n");

        var identified = await ExpectMsgAsync<ConnectionActor.ClientIdentified>();
        connection.Session.Tell(ConnectionActor.ClientAdmitted.Instance, TestActor);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000), identified.Client);
        await connection.ExpectReplyAsync(220);
        await connection.ExpectReplyAsync(250);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), await resolver.Asked.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_v2_LOCAL_header_keeps_the_sockets_peer()
    {
        var connection = FakeConnection.OpenAsChild(this, new InMemorySpool(), CreateTestProbe(), Proxied);

        await connection.SendAsync([0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00]);

        Assert.Equal(FakeConnection.Remote, (await ExpectMsgAsync<ConnectionActor.ClientIdentified>()).Client);
    }

    [Fact]
    public async Task A_client_the_parent_refuses_gets_its_reply_and_the_connection_closes()
    {
        var connection = FakeConnection.OpenAsChild(this, new InMemorySpool(), CreateTestProbe(), Proxied);
        await connection.SendAsync("PROXY TCP6 2001:db8::7 2001:db8::25 40000 25\r\n");
        await ExpectMsgAsync<ConnectionActor.ClientIdentified>();

        connection.Session.Tell(new ConnectionActor.ClientRefused(SmtpReplies.TooManyConnectionsFromClient(TestSettings.Hostname)), TestActor);

        await connection.ExpectReplyAsync(SmtpReplies.TooManyConnectionsFromClient(TestSettings.Hostname));
        await connection.ExpectClosedAsync();
        await ExpectMsgAsync<ConnectionActor.SessionClosing>();
    }

    [Theory]
    [InlineData("EHLO client.example\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.25 40000 99999\r\n")]
    [InlineData("PROXY UDP4 192.0.2.7 198.51.100.25 40000 25\r\n")]
    public async Task A_bad_header_closes_the_connection_without_a_reply(string header)
    {
        var connection = FakeConnection.OpenAsChild(this, new InMemorySpool(), CreateTestProbe(), Proxied);

        await connection.SendAsync(header);

        await connection.ExpectClosedAsync();
        Assert.Equal(0, connection.Writes);
        await ExpectMsgAsync<ConnectionActor.SessionClosing>();
    }

    [Fact]
    public async Task No_whole_header_within_the_proxy_timeout_closes_without_a_reply()
    {
        var connection = FakeConnection.OpenAsChild(this, new InMemorySpool(), CreateTestProbe(), Proxied);
        await connection.SendAsync(Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7"));
        await connection.ExpectReadRequestAsync();

        _time.Advance(TimeSpan.FromSeconds(5));

        await connection.ExpectClosedAsync();
        Assert.Equal(0, connection.Writes);
    }

    private sealed class RecordingResolver : IClientResolver
    {
        public TaskCompletionSource<IPAddress> Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ClientHost> ResolveAsync(IPAddress address, CancellationToken cancel)
        {
            Asked.TrySetResult(address);
            return Task.FromResult(new ClientHost(address, null, ClientResolve.None));
        }
    }
}
