using System.Text;

namespace Gateway.Tests.Support;

/// <summary>Reads what local delivery wrote, waiting (<see cref="Eventually"/>) for it to appear.</summary>
internal static class MaildirReader
{
    public static string[] Messages(string maildirRoot, string recipientDirectory)
    {
        var dir = Path.Combine(maildirRoot, recipientDirectory, "new");
        return Directory.Exists(dir)
            ? [.. Directory.GetFiles(dir).Order().Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f)))]
            : [];
    }

    public static Task<string[]> WaitForAsync(string maildirRoot, string recipientDirectory, int count, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            () => Messages(maildirRoot, recipientDirectory),
            messages => messages.Length >= count,
            $"{count} message(s) delivered to {recipientDirectory}",
            timeout,
            messages => $"{messages.Length} message(s)");
}
