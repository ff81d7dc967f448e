namespace Gateway.Protocol.Access;

/// <summary>Which steps of R55's host lookup a tag uses (Clt_Features has no address step; the *_Features tags no default).</summary>
[Flags]
public enum HostSteps
{
    /// <summary>Step 1: the host name and its parent domains (a bracketed IPv4 name octet by octet).</summary>
    Name = 1,

    /// <summary>Step 2: the address and its prefixes.</summary>
    Address = 2,

    /// <summary>Step 3: the bare tag, <c>Tag:</c>.</summary>
    Default = 4,

    All = Name | Address | Default,
}
