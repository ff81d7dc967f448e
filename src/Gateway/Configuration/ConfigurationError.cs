namespace Gateway.Configuration;

/// <summary>A configuration value that stops start-up; the message names the key and the reason.</summary>
internal sealed class ConfigurationError(string key, string reason) : Exception($"configuration: {key}: {reason}")
{
    public string Key { get; } = key;
}
