using Gateway.Configuration;
using Gateway.Faults;
using Gateway.Spool;
using Gateway.Tests.Support;

namespace Gateway.Tests.Crash;

/// <summary>
/// The TEST_GATEWAY_CRASH_POINT test hook (what bench/crashloop.sh drives): a node stops by SIGKILL exactly at the point
/// named, and what the client was told then holds after a restart: no 250 and nothing stored (data), no 250 but
/// committed, so delivered once (committed), copies written and the spool not yet told (delivering), delivered once.
/// </summary>
public sealed class CrashPointTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gateway-crash-point-").FullName;

    [Theory]
    [InlineData("data", "Data", 1)]
    [InlineData("committed", "Committed", 1)]
    [InlineData("delivering:after-3", "Delivering", 3)]
    public void A_crash_point_names_its_place_and_which_arrival(string text, string place, int after)
    {
        var point = CrashPoint.Parse(text);

        Assert.NotNull(point);
        Assert.Equal(place, point.Place.ToString());
        Assert.Equal(after, point.After);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void No_crash_point_is_set_by_default(string? text) => Assert.Null(CrashPoint.Parse(text));

    [Theory]
    [InlineData("commit")]
    [InlineData("data:3")]
    [InlineData("data:after-0")]
    [InlineData("data:after-x")]
    public void A_crash_point_that_makes_no_sense_stops_the_start_naming_the_variable(string text)
    {
        var error = Assert.Throws<ConfigurationError>(() => CrashPoint.Parse(text));

        Assert.Equal(CrashPoint.Variable, error.Key);
    }

    [Theory]
    [InlineData("data", false, 0)]
    [InlineData("committed", false, 1)]
    [InlineData("delivering", null, 1)]
    public async Task A_node_killed_at_the_crash_point_keeps_the_promise_its_reply_made(string point, bool? acknowledged, int deliveredAfterRestart)
    {
        string reply;
        using (var node = await ChildGateway.StartAsync(new Dictionary<string, string> { [CrashPoint.Variable] = point }, Switches()))
        {
            await using var client = await SmtpStream.ConnectAsync(node.Smtp);
            Assert.StartsWith("220 ", await client.ReadReplyAsync(), StringComparison.Ordinal);
            await client.CommandAsync("EHLO client.example");
            await client.CommandAsync("MAIL FROM:<a@example.com>");
            await client.CommandAsync("RCPT TO:<bob@localhost>");
            await client.CommandAsync("DATA");

            reply = await client.CommandAsync("Message-ID: <crash-point@client.example>\r\n\r\nhello\r\n.") ?? "(closed)";

            // 137 = 128 + SIGKILL: the process ended at the hook, not by an exception or a clean stop.
            Assert.Equal(137, await node.ExitedAsync(TimeSpan.FromSeconds(60)));
        }

        if (acknowledged is { } expected)
        {
            Assert.Equal(expected, reply.StartsWith("250 ", StringComparison.Ordinal));
        }

        using (var restarted = await ChildGateway.StartAsync(Switches()))
        {
            if (deliveredAfterRestart > 0)
            {
                await MaildirReader.WaitForAsync(Path.Combine(_root, "mail"), "bob@localhost", deliveredAfterRestart);
            }

            await restarted.StopAsync();
        }

        if (deliveredAfterRestart == 0)
        {
            using var spool = new RocksDbSpool(Path.Combine(_root, "spool"));
            Assert.Empty(await spool.ListAsync());
        }

        Assert.Equal(Enumerable.Repeat("crash-point@client.example", deliveredAfterRestart), MaildirReader.MessageIds(Path.Combine(_root, "mail"), "bob@localhost"));
        Assert.Empty(Directory.Exists(Path.Combine(_root, "mail", "bob@localhost", "tmp")) ? Directory.GetFiles(Path.Combine(_root, "mail", "bob@localhost", "tmp")) : []);
    }

    private string[] Switches() =>
    [
        "--Smtp:Listen:0=127.0.0.1:0",
        "--Smtp:Hostname=mx.test.example",
        "--Cluster:Port=0",
        $"--Queue:Directory={Path.Combine(_root, "spool")}",
        $"--Delivery:Maildir={Path.Combine(_root, "mail")}",
        "--Logging:LogLevel=1",
    ];

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
