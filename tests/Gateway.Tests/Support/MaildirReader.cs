using System.Text;

namespace Gateway.Tests.Support;

/// <summary>Reads what local delivery wrote, waiting (by polling a condition, with a deadline) for it to appear.</summary>
internal static class MaildirReader
{
    public static string[] Messages(string maildirRoot, string recipientDirectory)
    {
        var dir = Path.Combine(maildirRoot, recipientDirectory, "new");
        return Directory.Exists(dir)
            ? [.. Directory.GetFiles(dir).Order().Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f)))]
            : [];
    }

    public static async Task<string[]> WaitForAsync(string maildirRoot, string recipientDirectory, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var messages = Messages(maildirRoot, recipientDirectory);
            if (messages.Length >= count || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}
