using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The node's log lines: one per event, Akka's included, with no second prefix inside (operators grep sendmail's
/// lines), and with Logging:Format=json one JSON object per line, the message as its message.
/// </summary>
public sealed class LogFormatTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gateway-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Akka_lines_have_the_class_as_category_and_the_message_alone()
    {
        using var node = await ChildGateway.StartAsync(Switches("--Logging:LogLevel=9"));

        var line = await Eventually.UntilAsync(
            () => node.Output.FirstOrDefault(l => l.Contains("Gateway.Listener.SmtpListener", StringComparison.Ordinal)),
            l => l is not null,
            "the listener's log line",
            Deadline);

        Assert.Equal($"info: Gateway.Listener.SmtpListener[0] listening on {node.Smtp}", line);
        Assert.DoesNotContain(node.Output, l => l.Contains("[INFO][", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_Logging_Format_json_every_log_line_is_a_JSON_object()
    {
        using var node = await ChildGateway.StartAsync(Switches("--Logging:LogLevel=9", "--Logging:Format=json"));

        var line = await Eventually.UntilAsync(
            () => node.Output.FirstOrDefault(l => l.Contains("\"Gateway.Listener.SmtpListener\"", StringComparison.Ordinal)),
            l => l is not null,
            "the listener's log line",
            Deadline);

        using var json = JsonDocument.Parse(line!);
        Assert.Equal("Information", json.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal($"listening on {node.Smtp}", json.RootElement.GetProperty("Message").GetString());
        Assert.Contains("/user/node/smtp-listener", json.RootElement.GetProperty("Scopes").GetRawText(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(json.RootElement.GetProperty("Timestamp").GetString(), out _));

        // Every line is JSON but the command's own "gateway: …" lines, which are its output, not its log.
        Assert.All(node.Output.Where(l => !l.StartsWith("gateway: ", StringComparison.Ordinal)), l => JsonDocument.Parse(l).Dispose());
    }

    private string[] Switches(params string[] more) =>
    [
        "--Smtp:Listen:0=127.0.0.1:0",
        "--Cluster:Port=0",
        $"--Queue:Directory={Path.Combine(_root, "spool")}",
        $"--Delivery:Maildir={Path.Combine(_root, "mail")}",
        .. more,
    ];

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
