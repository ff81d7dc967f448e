using System.Net.Sockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Graceful drain (issue 14): when the node stops (SIGTERM runs the same host stop), it stops accepting, lets the
/// transaction in flight finish and acknowledges it, and answers an idle session's next command with 421 4.3.2.
/// </summary>
public sealed class DrainTests
{
    [Fact]
    public async Task A_stopping_node_finishes_the_transaction_in_flight_and_answers_idle_sessions_421()
    {
        var node = await TestNode.StartAsync("--Smtp:DrainTimeout=30");
        await using var busy = await SmtpStream.ConnectAsync(node.Smtp);
        await using var idle = await SmtpStream.ConnectAsync(node.Smtp);
        Assert.StartsWith("220 ", await busy.ReadReplyAsync());
        Assert.StartsWith("220 ", await idle.ReadReplyAsync());
        Assert.StartsWith("250", await idle.CommandAsync("EHLO idle.example"));
        Assert.StartsWith("250", await busy.CommandAsync("EHLO busy.example"));
        Assert.StartsWith("250", await busy.CommandAsync("MAIL FROM:<alice@example.org>"));
        Assert.StartsWith("250", await busy.CommandAsync("RCPT TO:<bob@localhost>"));
        Assert.StartsWith("354", await busy.CommandAsync("DATA"));
        await busy.SendAsync("Subject: in flight\r\n\r\nfirst half\r\n");

        var stopping = node.DisposeAsync().AsTask();

        // Draining: a new client is refused, by 421 4.3.2 or, once unbound, at connect.
        await Eventually.UntilAsync(ConnectAsync, g => g != "220", "the node no longer greeting new clients", TimeSpan.FromSeconds(20));

        Assert.StartsWith("421 4.3.2 ", await idle.CommandAsync("NOOP"));
        Assert.True(await idle.ClosedWithoutReplyAsync());

        // The transaction in flight is let finish, and acknowledged only once it is in the spool.
        Assert.StartsWith("250 ", await busy.CommandAsync("second half\r\n."));
        Assert.StartsWith("221 ", await busy.CommandAsync("QUIT"));

        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        async Task<string> ConnectAsync()
        {
            try
            {
                await using var client = await SmtpStream.ConnectAsync(node.Smtp);
                var greeting = await client.ReadReplyAsync();
                return greeting is null ? "closed" : greeting[..3];
            }
            catch (SocketException)
            {
                return "refused";
            }
        }
    }
}

/// <summary>
/// <c>gateway drain</c> and SIGTERM against a real gateway process: the session in a transaction still gets its 250,
/// and the process exits 0 by itself.
/// </summary>
public sealed class DrainProcessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gateway-tests", Guid.NewGuid().ToString("N"));

    private string[] Switches =>
    [
        "--Smtp:Listen:0=127.0.0.1:0",
        "--Smtp:Hostname=mx.test.example",
        "--Cluster:Port=0",
        $"--Queue:Directory={Path.Combine(_root, "spool")}",
        $"--Delivery:Maildir={Path.Combine(_root, "mail")}",
        "--Logging:LogLevel=1",
    ];

    [Theory]
    [InlineData("gateway drain")]
    [InlineData("SIGTERM")]
    public async Task The_process_lets_the_transaction_in_flight_finish_then_exits_0(string how)
    {
        using var gateway = await ChildGateway.StartAsync(Switches);
        await using var busy = await SmtpStream.ConnectAsync(gateway.Smtp);
        Assert.StartsWith("220 ", await busy.ReadReplyAsync());
        Assert.StartsWith("250", await busy.CommandAsync("EHLO busy.example"));
        Assert.StartsWith("250", await busy.CommandAsync("MAIL FROM:<alice@example.org>"));
        Assert.StartsWith("250", await busy.CommandAsync("RCPT TO:<bob@localhost>"));
        Assert.StartsWith("354", await busy.CommandAsync("DATA"));
        await busy.SendAsync("Subject: in flight\r\n\r\nfirst half\r\n");

        Task stopping;
        if (how == "SIGTERM")
        {
            stopping = gateway.StopAsync();
        }
        else
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await Gateway.Cli.GatewayCommandLine.InvokeAsync(
                ["drain", "--queue-dir", Path.Combine(_root, "spool")], new Gateway.Cli.CommandLineConsole(output, error));
            Assert.True(exit == 0, error.ToString());
            Assert.StartsWith("draining:", output.ToString(), StringComparison.Ordinal);
            stopping = Task.CompletedTask;
        }

        // Draining: new clients are told so.
        await Eventually.UntilAsync(
            async () =>
            {
                await using var late = await SmtpStream.ConnectAsync(gateway.Smtp);
                return await late.ReadReplyAsync();
            },
            g => g?.StartsWith("421 4.3.2 ", StringComparison.Ordinal) == true,
            "new clients refused with 421 4.3.2",
            TimeSpan.FromSeconds(30));

        Assert.StartsWith("250 ", await busy.CommandAsync("second half\r\n."));
        Assert.StartsWith("221 ", await busy.CommandAsync("QUIT"));
        await stopping;
        Assert.Equal(0, await gateway.ExitedAsync(TimeSpan.FromSeconds(60)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not a test failure.
        }
    }
}
