using System.Runtime.Versioning;
using Gateway.Protocol.Entropy;
using Gateway.Tests.Support;

namespace Gateway.Tests.Entropy;

/// <summary>
/// SPEC R39, R74, R75 end to end: a node whose generator cannot be seeded does not offer STARTTLS (mail still
/// flows in clear); with DontBlameSendmail=InsufficientEntropy it offers it anyway; a fresh rand file seeds it.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class NodeSeedingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-rand-").FullName;

    [Theory]
    [InlineData(null, false, true)]
    [InlineData("bogus:/x", false, false)]
    [InlineData("bogus:/x", true, true)]
    [InlineData("file:{fresh}", false, true)]
    [InlineData("file:{small}", false, false)]
    [InlineData("file:{small}", true, true)]
    [InlineData("egd:{missing}", false, false)]
    public async Task STARTTLS_is_offered_only_when_the_generator_was_seeded(string? randFile, bool insufficientEntropy, bool offered)
    {
        var fresh = Path.Combine(_dir, "fresh");
        var small = Path.Combine(_dir, "small");
        File.WriteAllBytes(fresh, new byte[256]);
        File.WriteAllBytes(small, new byte[100]);
        File.SetUnixFileMode(fresh, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(small, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var value = randFile?.Replace("{fresh}", fresh, StringComparison.Ordinal)
            .Replace("{small}", small, StringComparison.Ordinal)
            .Replace("{missing}", Path.Combine(_dir, "no-such-socket"), StringComparison.Ordinal);
        string[] switches =
        [
            .. value is null ? Array.Empty<string>() : [$"--Entropy:RandFile={value}"],
            .. insufficientEntropy ? ["--DontBlameSendmail:0=InsufficientEntropy"] : Array.Empty<string>(),
        ];

        await using var node = await TestNode.StartAsync(switches);
        await using var smtp = await SmtpStream.ConnectAsync(node.Smtp);
        await smtp.ReadReplyAsync();
        var ehlo = await smtp.CommandAsync("EHLO client.example") ?? "";

        Assert.Equal(offered, node.Node.StartTlsOffered);
        Assert.Equal(offered, ehlo.Contains("STARTTLS", StringComparison.Ordinal));

        // The status a health check reads says the same, and why.
        var status = await node.Node.EntropyStatusAsync(TimeSpan.FromSeconds(10));
        var expected = !offered ? SeedStatus.Failed : insufficientEntropy ? SeedStatus.Weak : SeedStatus.Ok;
        Assert.Equal(expected, status.Status);
        Assert.Contains(value ?? "kernel", status.Source, StringComparison.Ordinal);
        Assert.Equal(expected == SeedStatus.Failed, status.LastSeeded is null);
        Assert.Equal(expected == SeedStatus.Ok, status.LastFailure is null);

        // Mail flows either way.
        Assert.StartsWith("250", await smtp.CommandAsync("MAIL FROM:<a@example.com>"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_TLS_the_implicit_TLS_ports_are_not_opened()
    {
        await using var node = await TestNode.StartAsync("--Entropy:RandFile=bogus:/x", "--Smtp:ImplicitTlsListen:0=127.0.0.1:0");

        Assert.False(node.Node.StartTlsOffered);
        Assert.Empty(node.Node.ImplicitTlsEndpoints);
        Assert.NotEmpty(node.Node.SmtpEndpoints);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
