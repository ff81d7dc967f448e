using System.Text;
using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// The access-map parser (SPEC R50) on a mangled file: either a map, or an <see cref="AccessMapError"/> naming
/// the file and a line that exists; nothing else is thrown. A map holds exactly the entry lines, each found
/// under its key in any case with its value as written.
/// </summary>
public sealed class AccessMapFuzzTests
{
    private static readonly string[] Keys =
    [
        "Connect:192.0.2.1", "Connect:spam.example", "From:user@example.org", "To:example.net", "example.com", "10.1.2",
        "IPv6:2001:db8::1", "TLS_Clt:laptops.example.com", "TLS_Srv:mx.example.net", "TLS_Rcpt:partner.example",
        "Srv_Features:", "Srv_Features:10.0.0", "CertIssuer:/C=US/O=Partner/CN=Partner+20CA", "CertSubject:/CN=relay1.example",
        "Try_TLS:broken.example", "Clt_Features:mx.example.net", "BankCA:/C=DE/O=Bank+20CA", "# comment", "",
    ];

    private static readonly string[] Values =
    [
        "OK", "RELAY", "REJECT", "DISCARD", "SKIP", "ERROR:\"550 5.7.1 Go  away\"", "ERROR:4.7.1:\"451 try later\"", "ERROR:",
        "VERIFY", "VERIFY:112", "ENCR:256", "PERM+VERIFY:112", "VERIFY+CN:mx.example.net", "VERIFY:bits", "ENCR:",
        "V", "S", "D", "L", "NO", "SUBJECT", "relay", "", "\"unbalanced", "TEMP+", "VERIFY+CN:",
    ];

    [Fact]
    public void Any_file_is_a_map_of_its_entry_lines_or_an_error_naming_an_existing_line() =>
        FuzzRun.Check(nameof(AccessMapFuzzTests), 10_000, random =>
        {
            var text = Encoding.UTF8.GetString(Mutate.Bytes(random, File(random), maxLength: 20_000));
            var lines = text.Split('\n');

            AccessMap map;
            try
            {
                map = AccessMap.Parse(text, "fuzz/access");
            }
            catch (AccessMapError error)
            {
                Assert.Equal("fuzz/access", error.File);
                Assert.InRange(error.Line, 1, lines.Length);
                Assert.StartsWith($"fuzz/access, line {error.Line}: ", error.Message, StringComparison.Ordinal);
                return;
            }

            var entries = lines.Select(l => l.TrimEnd('\r').Trim(' ', '\t')).Where(l => l.Length > 0 && l[0] != '#').ToArray();
            Assert.Equal(entries.Length, map.Count);
            foreach (var entry in entries)
            {
                var blank = entry.IndexOfAny([' ', '\t']);
                var key = entry[..blank];
                Assert.Equal(entry[blank..].Trim(' ', '\t'), map.Find(FlipAsciiCase(random, key)));
            }
        });

    /// <summary>R50: keys match in any case; only ASCII letters are flipped, as sendmail folds bytes.</summary>
    private static string FlipAsciiCase(FuzzRandom random, string key) =>
        new([.. key.Select(c => char.IsAsciiLetter(c) && random.OneIn(2) ? (char)(c ^ 0x20) : c)]);

    private static byte[] File(FuzzRandom random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(0, 12); i > 0; i--)
        {
            var key = random.Pick(Keys);
            text.Append(random.OneIn(8) ? "  " : "").Append(key).Append(random.OneIn(4) ? "\t" : " ").Append(random.Pick(Values))
                .Append(random.OneIn(4) ? "\r\n" : "\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
