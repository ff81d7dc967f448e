namespace Gateway.Protocol.Proxy;

/// <summary>Builds refusal reasons that are safe to log: client bytes appear as hex, never raw.</summary>
internal static class Refuse
{
    public static ProxyParseResult.Refused With(string reason) => new(reason);

    public static ProxyParseResult.Refused At(int offset, byte value, string reason) =>
        new($"{reason}: byte {offset} is {Show(value)}");

    public static string Show(byte value) =>
        value is >= 0x21 and <= 0x7E ? $"0x{value:X2} '{(char)value}'" : $"0x{value:X2}";
}
