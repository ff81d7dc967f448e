using System.Text.RegularExpressions;

namespace Gateway.Protocol.Tests.Docs;

/// <summary>
/// The rows of docs/requirements.md's tables: | R | what it requires | implemented in | tested in |.
/// A row whose "implemented in" cell starts with "not cited" says no source or test cites the number.
/// </summary>
internal static partial class RequirementsTable
{
    public const string Path = "docs/requirements.md";

    public sealed record Row(int Line, int Number, string Requires, string ImplementedIn, string TestedIn)
    {
        public bool MarkedNotCited => ImplementedIn.StartsWith("not cited", StringComparison.Ordinal);

        /// <summary>Every `quoted` name in the "implemented in" cell: files, folders and types.</summary>
        public IEnumerable<string> QuotedInImplementedIn() => Quoted(ImplementedIn);

        /// <summary>Every `quoted` name in the "tested in" cell: test classes only.</summary>
        public IEnumerable<string> QuotedInTestedIn() => Quoted(TestedIn);

        private static IEnumerable<string> Quoted(string cell) => Backticked().Matches(cell).Select(m => m.Groups[1].Value);
    }

    public static IReadOnlyList<Row> Read()
    {
        var lines = Repository.Read(Path).Split('\n');
        var rows = new List<Row>();
        for (var i = 0; i < lines.Length; i++)
        {
            var cells = lines[i].Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var number = RequirementCell().Match(cells[0]);
            if (lines[i].StartsWith('|') && number.Success)
            {
                Assert.True(cells.Length == 4, $"{Path}:{i + 1}: a requirement row needs 4 cells, this one has {cells.Length}");
                rows.Add(new Row(i + 1, int.Parse(number.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), cells[1], cells[2], cells[3]));
            }
        }

        return rows;
    }

    [GeneratedRegex(@"^R([1-9][0-9]{0,2})$")]
    private static partial Regex RequirementCell();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Backticked();
}
