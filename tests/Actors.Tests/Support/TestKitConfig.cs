namespace Gateway.Actors.Tests.Support;

/// <summary>
/// The actor system config of every test class. Expected messages may take up to 10 s, so a busy
/// build machine slows a test down rather than failing it; waits for silence state their own time.
/// </summary>
public static class TestKitConfig
{
    public const string Hocon = "akka.test.single-expect-default = 10s";

    /// <summary>How often AwaitAssert retries; the default of 800 ms made every such test slow.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
}
