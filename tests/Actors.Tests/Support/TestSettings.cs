using Gateway.Actors.Connection;
using Gateway.Protocol.Session;

namespace Gateway.Actors.Tests.Support;

/// <summary>Small limits so each one is reached in a few lines; the idle timer never fires unless a test shortens it.</summary>
public static class TestSettings
{
    public const string Hostname = "mx.example.com";

    public const long MaxMessageSize = 10_000;

    public static readonly SessionSettings Session = new(
        Hostname,
        MaxMessageSize,
        MaxRecipients: 3,
        MaxBadCommands: 5,
        LocalDomains: new HashSet<string> { "example.org" });

    public static readonly ConnectionSettings Connection = new(Session, TimeSpan.FromMinutes(5), "Gateway test");
}
