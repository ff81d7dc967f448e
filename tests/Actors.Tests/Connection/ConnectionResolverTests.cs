using Gateway.Protocol.Replies;
using System.Net;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Connection;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Session;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>
/// The reverse lookup before the greeting: the connection asks its IClientResolver once, greets only when the
/// answer (or its own deadline) is there, and the answer decides the relay refusal's wording for the whole session.
/// </summary>
public sealed class ConnectionResolverTests : TestKit
{
    private readonly VirtualTime _time;

    public ConnectionResolverTests(ITestOutputHelper output)
        : base(VirtualTime.Hocon, output)
    {
        _time = new VirtualTime(Sys);
    }

    [Fact]
    public async Task The_greeting_waits_for_the_lookup_whose_answer_words_the_relay_refusal()
    {
        var resolver = new HeldResolver();
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), TestSettings.Connection with { Resolver = resolver });

        await connection.ExpectSilenceAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(FakeConnection.Remote.Address, await resolver.Asked.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        resolver.Answer(new ClientHost(FakeConnection.Remote.Address, "mx.example.org", ClientResolve.Forged));
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<c@elsewhere.example>\r\n");

        await connection.ExpectRepliesAsync(
            SmtpReplies.SenderOk,
            SmtpReplies.RelayingDenied("c@elsewhere.example", new ClientHost(FakeConnection.Remote.Address, "mx.example.org", ClientResolve.Forged)));
    }

    [Fact]
    public async Task A_resolver_that_never_answers_is_TEMP_after_the_connections_own_deadline()
    {
        var resolver = new HeldResolver();
        var settings = TestSettings.Connection with { Resolver = resolver, ResolveTimeout = TimeSpan.FromSeconds(11), Clock = _time.Clock };
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), settings);
        await resolver.Asked.Task.WaitAsync(TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(11));
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<c@elsewhere.example>\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
        var reply = (await connection.ExpectReplyAsync()).Wire;
        Assert.StartsWith("450 4.4.0 <c@elsewhere.example>... Relaying temporarily denied. Cannot resolve PTR record for 127.0.0.1", reply, StringComparison.Ordinal);

        // A late answer changes nothing.
        resolver.Answer(new ClientHost(FakeConnection.Remote.Address, "mx.example.org", ClientResolve.Ok));
        await connection.SendAsync("RCPT TO:<d@elsewhere.example>\r\n");
        Assert.StartsWith("450 4.4.0 ", (await connection.ExpectReplyAsync()).Wire, StringComparison.Ordinal);
    }

    /// <summary>Answers when the test says so, or never.</summary>
    private sealed class HeldResolver : IClientResolver
    {
        private readonly TaskCompletionSource<ClientHost> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<IPAddress> Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ClientHost> ResolveAsync(IPAddress address, CancellationToken cancel)
        {
            Asked.TrySetResult(address);
            return _answer.Task;
        }

        public void Answer(ClientHost host) => _answer.TrySetResult(host);
    }
}
