using Gateway.Spool;
using Gateway.Tests.Support;
using MailKit.Net.Smtp;
using MimeKit;
using Xunit.Abstractions;

namespace Gateway.Tests.Crash;

/// <summary>
/// The promise behind every 250: a gateway killed with SIGKILL right after its last 250 loses no
/// message and, once restarted, delivers each exactly once, even the ones it had already written
/// to Maildir but not yet removed from the spool.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const int Messages = 200;
    private const int Clients = 5;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gateway-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_message_answered_250_is_delivered_exactly_once_after_SIGKILL_and_restart()
    {
        string[] switches =
        [
            "--Smtp:Listen:0=127.0.0.1:0",
            "--Smtp:Hostname=mx.test.example",
            "--Cluster:Port=0",
            $"--Queue:Directory={Path.Combine(_root, "spool")}",
            $"--Delivery:Maildir={Path.Combine(_root, "mail")}",
            // One delivery at a time, so that many accepted messages are still in the spool at the kill.
            "--Delivery:Concurrency=1",
            "--Logging:LogLevel=1",
        ];

        var sent = new List<string>();
        using (var first = await ChildGateway.StartAsync(switches))
        {
            var batches = await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => SendAsync(first, c)));
            first.Kill();
            sent.AddRange(batches.SelectMany(b => b));
        }

        var deliveredBeforeRestart = DeliveredIds().Count;
        output.WriteLine($"{sent.Count} accepted; {deliveredBeforeRestart} in Maildir at the kill, {sent.Count - deliveredBeforeRestart} left to recovery");

        using (var second = await ChildGateway.StartAsync(switches))
        {
            await Eventually.UntilAsync(() => DeliveredIds().Distinct().Count(), n => n >= Messages, $"all {Messages} messages in Maildir after the restart", TimeSpan.FromSeconds(60));

            await second.StopAsync();
        }

        // What is still in the spool after a clean stop was delivered but not yet removed; a next
        // start would skip it (it is already in new/). Everything else must be in Maildir once.
        var delivered = DeliveredIds();
        using (var spool = new RocksDbSpool(Path.Combine(_root, "spool")))
        {
            var left = await spool.ListAsync();
            var files = Directory.GetFiles(Path.Combine(_root, "mail", "bob@localhost", "new")).Select(Path.GetFileName).ToList();
            Assert.All(left, id => Assert.Contains(files, f => f!.StartsWith(id + ".", StringComparison.Ordinal)));
        }

        Assert.Equal(Messages, sent.Count);
        Assert.Equal(sent.Order(StringComparer.Ordinal), delivered.Order(StringComparer.Ordinal));
    }

    private static async Task<List<string>> SendAsync(ChildGateway gateway, int client)
    {
        var ids = new List<string>();
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(gateway.Smtp.Address.ToString(), gateway.Smtp.Port, MailKit.Security.SecureSocketOptions.None);
        for (var i = 0; i < Messages / Clients; i++)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("alice@client.example"));
            message.To.Add(MailboxAddress.Parse("bob@localhost"));
            message.Subject = $"crash test {client}/{i}";
            message.MessageId = $"crash-{client}-{i}@client.example";
            message.Body = new TextPart("plain") { Text = $"message {i} from client {client}" };
            await smtp.SendAsync(message);
            ids.Add(message.MessageId);
        }

        return ids;
    }

    private List<string> DeliveredIds() => MaildirReader.MessageIds(Path.Combine(_root, "mail"), "bob@localhost");

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
