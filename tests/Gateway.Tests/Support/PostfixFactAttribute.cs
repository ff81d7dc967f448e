using System.Runtime.Versioning;

namespace Gateway.Tests.Support;

/// <summary>A fact that needs a <see cref="PostfixPeer"/>: skipped, with the reason, where Postfix cannot run.</summary>
[UnsupportedOSPlatform("windows")]
internal sealed class PostfixFactAttribute : FactAttribute
{
    public PostfixFactAttribute()
    {
        if (PostfixPeer.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
