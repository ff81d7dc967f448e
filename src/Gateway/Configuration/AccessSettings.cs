using Gateway.Protocol.Access;

namespace Gateway.Configuration;

/// <summary>The validated Access:* keys: the map file (loaded and watched by AccessMapWatcher) and the policy settings.</summary>
internal sealed record AccessSettings(string? MapFile, AccessPolicySettings Policy)
{
    public static readonly AccessSettings None = new(null, AccessPolicySettings.Default);
}
