using System.Reflection;

namespace Gateway.Hosting;

/// <summary>
/// The version a node reports in its status record: the assembly's informational version with the commit cut to
/// seven digits ("1.0.0+d829483"), so that a rolling upgrade shows which nodes run which build.
/// </summary>
internal static class GatewayVersion
{
    public static string Text { get; } = Of(typeof(GatewayVersion).Assembly);

    private static string Of(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 && version.Length > plus + 8 ? version[..(plus + 8)] : version;
    }
}
