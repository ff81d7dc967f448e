using System.Net;
using System.Net.Sockets;
using Gateway.Cli;
using Gateway.Protocol.Status;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cli;

/// <summary><c>gateway status</c> against a real node's Http:Listen, and against addresses where none answers.</summary>
public sealed class StatusCommandTests
{
    [Fact]
    public async Task The_table_and_the_json_come_from_the_node()
    {
        await using var node = await TestNode.StartAsync("--Http:Listen=127.0.0.1:0", "--Http:StatusInterval=0.2");
        var url = $"http://{node.Node.HttpEndpoint}";
        await using (var smtp = await SmtpStream.ConnectAsync(node.Smtp))
        {
            await smtp.SendMessageAsync("someone@localhost", "counted");
            Assert.StartsWith("221 ", await smtp.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        // The record is published every 0.2 s: wait until it shows the message, through the command itself.
        var (exit, output, error) = await Eventually.UntilAsync(
            () => RunAsync("status", "--node", url),
            r => r.Output.Contains("total: 1 node, 1 up", StringComparison.Ordinal) && Accepted(r.Output) == "1",
            "the table with the accepted message",
            describe: r => r.Output + r.Error);
        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("mx.test.example", output, StringComparison.Ordinal);

        var (jsonExit, json, _) = await RunAsync("status", "--node", node.Node.HttpEndpoint!.ToString(), "--json");
        Assert.Equal(0, jsonExit);
        var status = StatusJson.ReadCluster(json);
        Assert.Equal(1, Assert.Single(status.Nodes).Status!.Traffic.Accepted);
        Assert.EndsWith("}\n", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_does_not_answer_is_unavailable_and_named()
    {
        // A port that was free a moment ago: nothing listens there.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (exit, output, error) = await RunAsync("status", "--node", $"127.0.0.1:{port}");

        Assert.Equal(ExitCodes.Unavailable, exit);
        Assert.Empty(output);
        Assert.StartsWith($"gateway status: cannot reach http://127.0.0.1:{port} (Http:Listen of a node): ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1:9025")]
    [InlineData("127.0.0.1:9025/metrics")]
    [InlineData("127.0.0.1:notaport")]
    public async Task A_node_address_that_is_not_http_host_port_is_a_usage_error(string node)
    {
        var (exit, _, error) = await RunAsync("status", "--node", node);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains($"--node '{node}': expected http://HOST:PORT or HOST:PORT", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:9025/api/status")]
    [InlineData("10.0.0.5:9100", "http://10.0.0.5:9100/api/status")]
    [InlineData("http://[::1]:9025/", "http://[::1]:9025/api/status")]
    public void The_node_address_is_where_the_status_is_asked(string? typed, string uri) =>
        Assert.Equal(new Uri(uri), StatusSwitches.NodeUri(typed));

    /// <summary>The ACCEPTED cell of the node's row (the third line).</summary>
    private static string Accepted(string table)
    {
        var lines = table.Split('\n');
        var header = lines[1];
        var column = header.IndexOf("ACCEPTED", StringComparison.Ordinal) + "ACCEPTED".Length;
        return lines.Length > 2 && lines[2].Length >= column ? lines[2][..column].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1] : "";
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GatewayCommandLine.InvokeAsync(args, new CommandLineConsole(output, error));
        return (exit, output.ToString(), error.ToString());
    }
}
