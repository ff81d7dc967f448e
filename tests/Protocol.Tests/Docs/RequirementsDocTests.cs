using System.Text.RegularExpressions;

namespace Gateway.Protocol.Tests.Docs;

/// <summary>
/// docs/requirements.md against the code: every requirement number cited in src/ or tests/ has a row, a row says
/// "not cited" exactly when nothing cites it, and the files and test classes it names exist. So the page cannot
/// fall behind the code without a test saying where.
/// </summary>
public sealed partial class RequirementsDocTests
{
    [Theory]
    [InlineData("// SPEC R18: TLS first", new[] { 18 })]
    [InlineData("(SPEC R54, R56)", new[] { 54, 56 })]
    [InlineData("R54/R55 and R73's rules", new[] { 54, 55, 73 })]
    [InlineData("tls_client is asked (R7 step 3)", new[] { 7 })]
    [InlineData("SPEC R5–R8, R18", new[] { 5, 8, 18 })]
    [InlineData("public void R58_row_2_a_laptop()", new[] { 58 })]
    [InlineData("Task Issue_R83_clear_text()", new[] { 83 })]
    [InlineData("var map = R58Map;", new[] { 58 })]
    [InlineData("RFC 5321, R101 and R100", new[] { 101, 100 })]
    [InlineData("\"0123456789ABCDEF0123.R1.mx.test.example\"", new int[0])]
    [InlineData("R0, AR12, R1234, CR2, PR", new int[0])]
    public void The_citation_pattern_takes_the_forms_the_code_uses_and_nothing_else(string text, int[] expected)
    {
        var found = RequirementCitations.In(text);

        Assert.Equal(expected, found);
    }

    [Fact]
    public void Every_requirement_cited_in_src_or_tests_has_a_row()
    {
        var rows = RequirementsTable.Read().Select(r => r.Number).ToHashSet();

        var missing = RequirementCitations.InRepository()
            .Where(c => !rows.Contains(c.Key))
            .Select(c => $"R{c.Key} has no row in {RequirementsTable.Path}; cited in {string.Join(", ", c.Value)}")
            .ToList();

        Assert.True(missing.Count == 0, string.Join('\n', missing));
    }

    [Fact]
    public void A_row_says_not_cited_exactly_when_nothing_cites_its_requirement()
    {
        var citations = RequirementCitations.InRepository();

        var wrong = RequirementsTable.Read()
            .Where(row => row.MarkedNotCited == citations.ContainsKey(row.Number))
            .Select(row => row.MarkedNotCited
                ? $"{RequirementsTable.Path}:{row.Line}: R{row.Number} is marked not cited, but {string.Join(", ", citations[row.Number])} cite(s) it"
                : $"{RequirementsTable.Path}:{row.Line}: R{row.Number} is cited nowhere in src/ or tests/; say where it is done, or mark it \"not cited\"")
            .ToList();

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void Each_requirement_has_one_row()
    {
        var rows = RequirementsTable.Read();

        var repeated = rows.GroupBy(r => r.Number).Where(g => g.Count() > 1)
            .Select(g => $"R{g.Key} has {g.Count()} rows, at lines {string.Join(", ", g.Select(r => r.Line))}")
            .ToList();

        Assert.NotEmpty(rows);
        Assert.True(repeated.Count == 0, string.Join('\n', repeated));
    }

    [Fact]
    public void Every_file_and_test_class_a_row_names_exists()
    {
        var testClasses = Repository.CSharpFiles()
            .Where(f => f.StartsWith("tests/", StringComparison.Ordinal))
            .SelectMany(f => ClassDeclaration().Matches(Repository.Read(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        var rows = RequirementsTable.Read();

        var gone = rows
            .SelectMany(row => row.QuotedInImplementedIn().Where(IsPath).Where(path => !Repository.Exists(path)).Select(name => (row, name)))
            .Concat(rows.SelectMany(row => row.QuotedInTestedIn().Where(name => !testClasses.Contains(name)).Select(name => (row, name))))
            .Select(x => $"{RequirementsTable.Path}:{x.row.Line}: R{x.row.Number} names {x.name}, which does not exist")
            .ToList();

        Assert.True(gone.Count == 0, string.Join('\n', gone));
    }

    private static bool IsPath(string name) => name.StartsWith("src/", StringComparison.Ordinal) || name.StartsWith("tests/", StringComparison.Ordinal);

    [GeneratedRegex(@"\bclass\s+([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ClassDeclaration();
}
