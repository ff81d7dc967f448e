using System.Runtime.Versioning;
using System.Text.Json;
using Gateway.Cli;
using Gateway.Spool;
using Gateway.Tests.Access;
using Gateway.Tests.Relay;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cli;

/// <summary>
/// <c>gateway queue</c> through the command line's entry point against a running node whose next hop defers
/// (451 to MAIL): what list shows, and what hold, release, flush, delete and bounce do to the message.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class QueueCommandTests : IAsyncLifetime
{
    private const string Deferral = "451 4.3.0 try again later";

    private readonly RelayFixture _fixture = new();
    private TinySmtpServer? _sink;
    private volatile bool _accepting;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task List_shows_a_deferred_message_like_mailq_with_its_recipients_and_the_hops_reply()
    {
        var (node, id) = await DeferredAsync(["bob@remote.example", "carol@remote.example"]);

        var (exit, output, error) = await QueueAsync(node, "list");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var lines = output.Split('\n');
        Assert.StartsWith("ID ", lines[0], StringComparison.Ordinal);
        Assert.Matches($@"^{id}\s+\d+\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+\s+deferred\s+alice@localhost$", lines[1]);
        Assert.StartsWith($"      (1 failed attempt; {Deferral}; next attempt ", lines[2], StringComparison.Ordinal);
        Assert.Equal($"      bob@remote.example  pending  ({Deferral})", lines[3]);
        Assert.Equal($"      carol@remote.example  pending  ({Deferral})", lines[4]);
        Assert.Equal("-- 1 Kbytes in 1 Request.", lines[6]);
    }

    [Fact]
    public async Task List_json_prints_each_message_as_one_JSON_object_per_line()
    {
        var (node, id) = await DeferredAsync(["bob@remote.example"]);

        var (exit, output, _) = await QueueAsync(node, "list", "--json");

        Assert.Equal(0, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var message = json.RootElement;
        Assert.Equal(id, message.GetProperty("id").GetString());
        Assert.Equal("deferred", message.GetProperty("state").GetString());
        Assert.Equal("alice@localhost", message.GetProperty("sender").GetString());
        Assert.Equal(Deferral, message.GetProperty("lastError").GetString());
        Assert.Equal(1, message.GetProperty("failedAttempts").GetInt32());
        var recipient = Assert.Single(message.GetProperty("recipients").EnumerateArray());
        Assert.Equal("bob@remote.example", recipient.GetProperty("address").GetString());
        Assert.Equal("pending", recipient.GetProperty("state").GetString());
        Assert.Equal(Deferral, recipient.GetProperty("reply").GetString());
    }

    [Fact]
    public async Task An_empty_queue_lists_as_mailq_says_it()
    {
        var node = await _fixture.NodeAsync(_fixture.Sink());

        var (exit, output, _) = await QueueAsync(node, "list");
        var json = await QueueAsync(node, "list", "--json");

        Assert.Equal(0, exit);
        Assert.Equal("Mail queue is empty\n", output);
        Assert.Equal((0, "", ""), json);
    }

    [Fact]
    public async Task Hold_puts_the_message_on_hold_and_release_has_it_tried_at_once()
    {
        var (node, id) = await DeferredAsync(["bob@remote.example"]);

        var held = await QueueAsync(node, "hold", id);

        Assert.Equal((0, $"{id}: held\n", ""), held);
        Assert.Equal("hold", (await RelayFixture.ListAsync(node)).Single().State);
        var released = await QueueAsync(node, "release", id, "--json");
        Assert.Equal(0, released.Exit);
        Assert.Equal($$"""{"ok":true,"text":"{{id}}: released"}""" + "\n", released.Output);

        // Tried at once, not at its old retry time: the hop defers it a second time.
        await RelayFixture.QueueUntilAsync(node, l => l is [{ State: "deferred", FailedAttempts: 2 }], "a second deferral after the release");
    }

    [Fact]
    public async Task Flush_tries_the_deferred_message_now_and_it_leaves_the_queue()
    {
        var (node, id) = await DeferredAsync(["bob@remote.example"], new SinkBehaviour { RcptReply = _ => _accepting ? "250 2.1.5 ok" : Deferral });

        // The relay may reuse its connection to the hop, which keeps the behaviour it started with: so the hop decides per RCPT.
        _accepting = true;
        var (exit, output, _) = await QueueAsync(node, "flush", id);

        Assert.Equal(0, exit);
        Assert.Equal($"{id}: to be tried now\n", output);
        await Eventually.UntilAsync(() => _sink!.Messages, m => m.Count == 1, "the message at the next hop", RelayFixture.Deadline);
        await RelayFixture.QueueUntilAsync(node, l => l.Count == 0, "an empty queue");
    }

    [Fact]
    public async Task Flush_without_an_id_tries_every_deferred_message()
    {
        var (node, _) = await DeferredAsync(["bob@remote.example"]);

        var (exit, output, _) = await QueueAsync(node, "flush");

        Assert.Equal(0, exit);
        Assert.Equal("1 message(s) to be tried now\n", output);
        await RelayFixture.QueueUntilAsync(node, l => l is [{ FailedAttempts: 2 }], "a second attempt");
    }

    [Fact]
    public async Task Bounce_fails_the_recipients_and_the_sender_gets_a_report()
    {
        var (node, id) = await DeferredAsync(["bob@remote.example"]);

        var (exit, output, _) = await QueueAsync(node, "bounce", id);

        Assert.Equal(0, exit);
        Assert.Equal($"{id}: bounced\n", output);
        var report = await MaildirReader.WaitForAsync(node.Maildir, "alice@localhost", 1, RelayFixture.Deadline);
        Assert.Contains("Final-Recipient: rfc822; bob@remote.example", report[0], StringComparison.Ordinal);
        Assert.Contains("bounced by the administrator", report[0], StringComparison.Ordinal);
        await RelayFixture.QueueUntilAsync(node, l => l.All(m => m.Id != id), "the bounced message gone");
    }

    [Fact]
    public async Task Delete_removes_the_message_from_the_queue_and_the_spool_and_the_socket_goes_with_the_node()
    {
        using var maps = new MapDirectory();
        var spool = Path.Combine(maps.Root, "spool");
        var sink = _fixture.Sink(new SinkBehaviour { MailReply = Deferral });
        var node = await TestNode.StartAsync(
            $"--Access:MapFile={maps.Write("access", "Connect:127.0.0.1 RELAY\n")}",
            $"--Delivery:Routes:remote.example=smtp:[127.0.0.1]:{sink.Port}",
            $"--Queue:Directory={spool}");
        string id;
        await using (node)
        {
            id = await SubmitDeferredAsync(node, ["bob@remote.example"]);

            var (exit, output, _) = await QueueAsync(node, "delete", id);

            Assert.Equal((0, $"{id}: deleted\n"), (exit, output));
            Assert.Equal("Mail queue is empty\n", (await QueueAsync(node, "list")).Output);
        }

        using var stopped = new RocksDbSpool(spool);
        Assert.DoesNotContain(id, await stopped.ListAsync());
        Assert.False(File.Exists(Path.Combine(spool, "control.sock")));
    }

    [Theory]
    [InlineData("hold")]
    [InlineData("release")]
    [InlineData("delete")]
    [InlineData("bounce")]
    [InlineData("flush")]
    public async Task An_unknown_id_exits_1_with_the_queues_reason(string op)
    {
        var node = await _fixture.NodeAsync(_fixture.Sink());

        var (exit, output, error) = await QueueAsync(node, op, "0000DEADBEEF00000000");

        Assert.Equal(QueueCommand.Refused, exit);
        Assert.Equal("", output);
        Assert.Equal($"gateway queue {op}: 0000DEADBEEF00000000: no such message\n", error);
    }

    [Fact]
    public async Task The_socket_is_found_through_the_nodes_configuration_file()
    {
        var node = await _fixture.NodeAsync(_fixture.Sink());
        var config = Path.Combine(node.Root, "gateway.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Queue = new { Directory = node.Settings.QueueDirectory } }));

        var (exit, output, _) = await RunAsync(["queue", "list", "--config", config]);

        Assert.Equal((0, "Mail queue is empty\n"), (exit, output));
    }

    [Fact]
    public async Task Without_a_running_node_it_exits_69_naming_the_socket()
    {
        var empty = Directory.CreateTempSubdirectory("gateway-queue-").FullName;
        try
        {
            var (exit, output, error) = await RunAsync(["queue", "list", "--queue-dir", empty]);

            Assert.Equal(ExitCodes.Unavailable, exit);
            Assert.Equal("", output);
            Assert.Equal($"gateway queue list: no control socket {Path.Combine(empty, "control.sock")}: the node is not running, or not with this Queue:Directory\n", error);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Theory]
    [InlineData("queue hold", "Required argument 'ID' missing")]
    [InlineData("queue list X", "Unrecognized command or argument 'X'")]
    [InlineData("queue list --config a.json --queue-dir spool", "--config and --queue-dir both say where the spool is; give one")]
    public async Task A_bad_command_line_exits_64(string commandLine, string message)
    {
        var (exit, _, error) = await RunAsync(commandLine.Split(' '));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    /// <summary>A node whose next hop answers MAIL with 451 (unless told otherwise), and the id of a message from alice@localhost it deferred once.</summary>
    private async Task<(TestNode Node, string Id)> DeferredAsync(IReadOnlyList<string> to, SinkBehaviour? behaviour = null)
    {
        _sink = _fixture.Sink(behaviour ?? new SinkBehaviour { MailReply = Deferral });
        var node = await _fixture.NodeAsync(_sink);
        return (node, await SubmitDeferredAsync(node, to));
    }

    private static async Task<string> SubmitDeferredAsync(TestNode node, IReadOnlyList<string> to)
    {
        await RelayFixture.SubmitAsync(node, "alice@localhost", to);
        var listing = await RelayFixture.QueueUntilAsync(node, l => l is [{ State: "deferred" }], "the deferred message");
        return listing[0].Id;
    }

    private static Task<(int Exit, string Output, string Error)> QueueAsync(TestNode node, params string[] args) =>
        RunAsync(["queue", .. args, "--queue-dir", node.Settings.QueueDirectory]);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var exit = await GatewayCommandLine.InvokeAsync(args, new CommandLineConsole(output, error));
        return (exit, output.ToString(), error.ToString());
    }
}
