using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Support;

/// <summary>Reads what local delivery wrote, waiting (<see cref="Eventually"/>) for it to appear.</summary>
internal static partial class MaildirReader
{
    /// <summary>The Message-ID of every message delivered to one recipient, one per file (a copy delivered twice shows twice).</summary>
    public static List<string> MessageIds(string maildirRoot, string recipientDirectory) =>
        [.. Messages(maildirRoot, recipientDirectory).Select(m => MessageIdHeader().Match(m).Groups[1].Value)];

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

    [GeneratedRegex(@"(?im)^Message-ID:\s*<([^>]+)>")]
    private static partial Regex MessageIdHeader();
}
