namespace Gateway.Protocol.Tests.Docs;

/// <summary>The checked-out repository these tests run from: its root and its C# sources.</summary>
internal static class Repository
{
    /// <summary>The folder holding Gateway.sln, found by walking up from the test assembly's folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Every *.cs file under src/ and tests/, outside build output, as repo-relative paths with '/'.</summary>
    public static IEnumerable<string> CSharpFiles() =>
        new[] { "src", "tests" }
            .Select(folder => Path.Combine(Root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Select(Relative)
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    public static bool Exists(string relativePath)
    {
        var full = Path.Combine(Root, relativePath);
        return File.Exists(full) || Directory.Exists(full);
    }

    private static string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Gateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Gateway.sln above {AppContext.BaseDirectory}");
    }
}
