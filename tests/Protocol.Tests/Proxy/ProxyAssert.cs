using Gateway.Protocol.Proxy;

namespace Gateway.Protocol.Tests.Proxy;

/// <summary>Shorthands for the three parse answers, so each test states only what it expects.</summary>
public static class ProxyAssert
{
    public static ProxyParseResult.Done Done(ProxyParseResult result) =>
        Assert.IsType<ProxyParseResult.Done>(result);

    public static void Refused(ProxyParseResult result, string because)
    {
        var refused = Assert.IsType<ProxyParseResult.Refused>(result);
        Assert.Contains(because, refused.Reason, StringComparison.Ordinal);
    }

    public static ProxyParseResult Parse(string wire) => ProxyHeaderParser.Parse(System.Text.Encoding.ASCII.GetBytes(wire));
}
