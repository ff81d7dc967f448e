using System.Text;
using Gateway.Tests.Support;

namespace Gateway.Tests.Spool;

/// <summary>
/// A disk that really fills up (a 32 MB tmpfs holding the spool and the Maildir): new messages get 452 4.3.1, none
/// of them is delivered or left half-written, and once there is room again the node takes mail and delivers
/// everything it acknowledged, without a restart (RocksDB refuses writes after ENOSPC until it is reopened).
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private const string Recipient = "full@localhost";

    private readonly string _disk = Directory.CreateTempSubdirectory("gateway-diskfull-").FullName;
    private bool _mounted;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_mounted)
        {
            await Eventually.UntilAsync(() => TmpfsFactAttribute.Unmount(_disk), e => e is null, "the tmpfs unmounted", TimeSpan.FromSeconds(10));
        }

        Directory.Delete(_disk, recursive: true);
    }

    [TmpfsFact]
    public async Task A_full_disk_gives_452_loses_nothing_acknowledged_and_service_resumes_when_room_returns()
    {
        Assert.Null(TmpfsFactAttribute.Mount(_disk, 32));
        _mounted = true;
        var accepted = new List<string>();
        var refused = new List<string>();
        var fillers = new List<string>();
        await using (var node = await TestNode.StartAsync(
            $"--Queue:Directory={Path.Combine(_disk, "spool")}",
            $"--Delivery:Maildir={Path.Combine(_disk, "mail")}",
            "--Queue:RetrySchedule=1,2"))
        {
            Assert.StartsWith("250 ", await SendAsync(node, "before"), StringComparison.Ordinal);
            accepted.Add("before");

            // Fill what is free before each message, so that whatever RocksDB frees (a reopen trims its log's
            // preallocated tail) is taken again; stop at the first 452.
            for (var i = 0; i < 30 && refused.Count == 0; i++)
            {
                fillers.Add(Fill(Path.Combine(_disk, $"filler{i}")));
                var id = $"full{i}";
                var reply = await SendAsync(node, id);
                (reply.StartsWith("250 ", StringComparison.Ordinal) ? accepted : refused).Add(id);
                if (refused.Contains(id))
                {
                    Assert.StartsWith("452 4.3.1 ", reply, StringComparison.Ordinal);
                }
            }

            Assert.NotEmpty(refused);

            // Room again: mail is taken without a restart (the first commit may still meet the last failed reopen's pause).
            foreach (var filler in fillers)
            {
                File.Delete(filler);
            }

            await Eventually.UntilAsync(() => SendAsync(node, "after"), r => r.StartsWith("250 ", StringComparison.Ordinal), "a message accepted with room again");
            accepted.Add("after");

            // Every acknowledged message is delivered once, whole; no refused one is anywhere.
            var delivered = await Eventually.UntilAsync(
                () => MaildirReader.MessageIds(Path.Combine(_disk, "mail"), Recipient),
                ids => ids.Count >= accepted.Count,
                $"{accepted.Count} acknowledged messages delivered",
                describe: ids => string.Join(", ", ids));
            Assert.Equal(accepted.Select(a => $"{a}@disk.test").Order(), delivered.Order());
            Assert.All(MaildirReader.Messages(Path.Combine(_disk, "mail"), Recipient), m => Assert.EndsWith("the end\r\n", m, StringComparison.Ordinal));
            Assert.Empty(Directory.GetFiles(Path.Combine(_disk, "mail", Recipient, "tmp")));
        }
    }

    /// <summary>Writes zeros to <paramref name="path"/> until the disk is full.</summary>
    private static string Fill(string path)
    {
        var block = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        try
        {
            while (true)
            {
                file.Write(block);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }

        return path;
    }

    /// <summary>One 60 KB message with Message-ID &lt;<paramref name="id"/>@disk.test&gt;; the reply to its final dot.</summary>
    private static async Task<string> SendAsync(TestNode node, string id)
    {
        await using var smtp = await SmtpStream.ConnectAsync(node.Smtp);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await smtp.CommandAsync("MAIL FROM:<sender@example.com>"), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await smtp.CommandAsync($"RCPT TO:<{Recipient}>"), StringComparison.Ordinal);
        Assert.StartsWith("354 ", await smtp.CommandAsync("DATA"), StringComparison.Ordinal);
        var body = new StringBuilder($"Message-ID: <{id}@disk.test>\r\nSubject: {id}\r\n\r\n");
        for (var line = 0; line < 800; line++)
        {
            body.Append(Convert.ToBase64String(new byte[57])).Append("\r\n");
        }

        body.Append("the end\r\n.");
        var reply = await smtp.CommandAsync(body.ToString()) ?? "(closed)";
        await smtp.CommandAsync("QUIT");
        return reply;
    }
}
