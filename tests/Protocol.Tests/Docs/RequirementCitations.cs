using System.Text.RegularExpressions;

namespace Gateway.Protocol.Tests.Docs;

/// <summary>
/// Which SPEC-STARTTLS requirement numbers the C# sources cite, and where. A citation is "R" and 1–3 digits with
/// no letter, digit or dot before it and no digit after it: that takes "SPEC R18", "R54/R55", "R73's",
/// "(R7 step 3)", test names such as "R58_row_2_…" or "Issue_R83_…" and members such as "R58Map", and leaves out
/// identifiers that merely contain the letters ("AR12") and Maildir file names ("&lt;id&gt;.R1.&lt;host&gt;").
/// </summary>
internal static partial class RequirementCitations
{
    /// <summary>
    /// This folder's own files are left out: their sample citations exercise the pattern and would otherwise
    /// count as the code citing those requirements.
    /// </summary>
    private const string OwnFolder = "tests/Protocol.Tests/Docs/";

    /// <summary>Requirement number → the repo-relative files citing it.</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<string>> InRepository()
    {
        var citations = new SortedDictionary<int, List<string>>();
        foreach (var file in Repository.CSharpFiles().Where(f => !f.StartsWith(OwnFolder, StringComparison.Ordinal)))
        {
            foreach (var number in In(Repository.Read(file)).Distinct())
            {
                if (!citations.TryGetValue(number, out var files))
                {
                    citations[number] = files = [];
                }

                files.Add(file);
            }
        }

        return citations.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value);
    }

    /// <summary>The requirement numbers cited in <paramref name="text"/>, in order of appearance.</summary>
    public static IEnumerable<int> In(string text) =>
        Citation().Matches(text).Select(m => int.Parse(m.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture));

    // R0 does not exist (the spec starts at R1), so a leading zero is never a citation.
    [GeneratedRegex(@"(?<![A-Za-z0-9.])R(?<number>[1-9][0-9]{0,2})(?![0-9])")]
    private static partial Regex Citation();
}
