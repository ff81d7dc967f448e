namespace Gateway.Protocol.Access;

/// <summary>The optional <c>PERM+</c> / <c>TEMP+</c> of a TLS requirement (SPEC R52), which picks the reply code (R53).</summary>
public enum RequirementPrefix
{
    None,
    Temp,
    Perm,
}
