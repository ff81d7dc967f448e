using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>
/// Builds the configuration as DESIGN says: a JSON file (--config FILE, else ./gateway.json if it
/// exists, else none: the compiled-in defaults), then GATEWAY_* environment variables, then
/// --Section:Key=value switches. Unknown keys are errors, so a typo is not silently ignored.
/// </summary>
internal static class ConfigurationLoader
{
    public static GatewaySettings Load(string? configFile, IReadOnlyList<string> switches)
    {
        var builder = new ConfigurationBuilder();
        var file = configFile ?? (File.Exists("gateway.json") ? "gateway.json" : null);
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new ConfigurationError("--config", $"file '{file}' does not exist");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("GATEWAY_");
        builder.AddCommandLine([.. switches]);
        IConfiguration configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            throw new ConfigurationError(file ?? "command line", e.GetBaseException().Message);
        }

        return OptionsValidation.Validate(Bind(configuration));
    }

    public static GatewayOptions Bind(IConfiguration configuration)
    {
        try
        {
            return configuration.Get<GatewayOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new GatewayOptions();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key ("... at 'Smtp:MaxRecipients' ...") or the unknown keys.
            throw new ConfigurationError("configuration", e.Message);
        }
    }
}
