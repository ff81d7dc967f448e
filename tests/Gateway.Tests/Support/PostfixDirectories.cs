using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Gateway.Tests.Support;

/// <summary>
/// Makes a new instance's queue and data directories with the owners and modes that Postfix's own table
/// ($meta_directory/postfix-files) gives them: what "postfix post-install create-missing" does, without its
/// second or more of shell and postconf runs for every test.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static partial class PostfixDirectories
{
    private const string Table = "/etc/postfix/postfix-files";

    public static void Create(string queueDirectory, string dataDirectory)
    {
        var owners = new Dictionary<string, int>
        {
            ["root"] = 0,
            ["-"] = -1,
            ["$mail_owner"] = Id("/etc/passwd", "postfix"),
            ["$setgid_group"] = Id("/etc/group", "postdrop"),
        };
        foreach (var line in File.ReadLines(Table))
        {
            // name:type:owner:group:mode:flags, e.g. "$queue_directory/public:d:$mail_owner:$setgid_group:710:uc".
            var f = line.Split(':');
            if (f.Length < 5 || f[1] != "d")
            {
                continue;
            }

            var path = f[0].Replace("$queue_directory", queueDirectory, StringComparison.Ordinal)
                .Replace("$data_directory", dataDirectory, StringComparison.Ordinal);
            if (path.StartsWith('$'))
            {
                continue;
            }

            Directory.CreateDirectory(path);
            if (Chown(path, owners[f[2]], owners[f[3]]) != 0)
            {
                throw new InvalidOperationException($"chown {path}: errno {Marshal.GetLastPInvokeError()}");
            }

            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(f[4], 8));
        }
    }

    // The third field of the user's (or group's) line: name:password:id:...
    private static int Id(string database, string name) =>
        int.Parse(
            File.ReadLines(database).Select(l => l.Split(':')).FirstOrDefault(f => f[0] == name)?[2]
                ?? throw new InvalidOperationException($"no {name} in {database}: is the postfix package installed?"),
            CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, int owner, int group);
}
