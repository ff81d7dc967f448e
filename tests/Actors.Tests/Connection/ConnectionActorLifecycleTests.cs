using Gateway.Protocol.Replies;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Queue;
using Gateway.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>How a session ends when the socket, not the dialog, ends it.</summary>
public sealed class ConnectionActorLifecycleTests(ITestOutputHelper output) : TestKit(TestKitConfig.Hocon, output)
{
    public static TheoryData<string> SocketEndings => ["peer closed", "error closed", "command failed"];

    [Theory]
    [MemberData(nameof(SocketEndings))]
    public async Task The_session_stops_when_the_socket_ends(string ending)
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        Watch(connection.Session);
        await connection.HelloAsync();

        connection.Session.Tell(Ending(ending), ActorRefs.NoSender);

        await ExpectTerminatedAsync(connection.Session);
    }

    [Fact]
    public async Task A_message_committed_after_the_client_hung_up_still_reaches_the_queue()
    {
        var spool = new GatedSpool();
        var queue = CreateTestProbe();
        var connection = FakeConnection.Open(this, spool, queue);
        Watch(connection.Session);
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nHello\r\n.\r\n");
        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput);
        await spool.CommitStarted.WaitAsync(RemainingOrDefault);

        connection.Session.Tell(Tcp.PeerClosed.Instance, ActorRefs.NoSender);
        await ExpectTerminatedAsync(connection.Session);
        spool.Release();

        await queue.ExpectMsgAsync(new QueueProtocol.MessageSpooled("m1"));
        Assert.Equal(["m1"], spool.Stored.Ids);
    }

    [Fact]
    public async Task Bytes_that_arrive_after_quit_are_ignored()
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();
        await connection.SendAsync("QUIT\r\n");
        await connection.ExpectReplyAsync(221);

        connection.Session.Tell(new Tcp.Received(ByteString.FromString("NOOP\r\n")), ActorRefs.NoSender);

        await connection.ExpectClosedAsync();
        await connection.ExpectSilenceAsync(TimeSpan.FromMilliseconds(100));
    }

    private static object Ending(string ending) => ending switch
    {
        "peer closed" => Tcp.PeerClosed.Instance,
        "error closed" => new Tcp.ErrorClosed("Connection reset by peer"),
        _ => new Tcp.CommandFailed(Tcp.ResumeReading.Instance),
    };
}
