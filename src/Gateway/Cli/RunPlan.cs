namespace Gateway.Cli;

/// <summary>What <c>gateway [run]</c> starts from: the configuration file, if named, and the settings given over it.</summary>
/// <param name="Settings">The <c>--Section:Key=value</c> words, in order, as Microsoft.Extensions.Configuration.CommandLine reads them.</param>
internal sealed record RunPlan(string? ConfigFile, IReadOnlyList<string> Settings);
