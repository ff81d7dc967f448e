using System.Net.Sockets;
using System.Runtime.Versioning;
using Gateway.Actors.Entropy;
using Gateway.Entropy;
using Gateway.Protocol.Entropy;
using Gateway.Tests.Support;

namespace Gateway.Tests.Entropy;

/// <summary>
/// The seed sources against real files and a real EGD socket: every client-side row of SPEC R78 and every rand-file
/// row of R79, in a private 0700 temp directory. File ages are set through the modification time against a fixed clock.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class EntropySourceTests : IDisposable
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode SharedFile = PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly DateTimeOffset Instant = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly string _root;

    public EntropySourceTests()
    {
        _root = Directory.CreateTempSubdirectory("gateway-entropy-").FullName;
        File.SetUnixFileMode(_root, PrivateFile | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not a test failure.
        }
    }

    [Theory]
    [InlineData(1024, 599)]
    [InlineData(1024, 600)]
    [InlineData(128, 10)]
    public async Task A_private_fresh_rand_file_of_at_least_128_bytes_seeds_with_its_bytes_and_stat_record(int size, int ageSeconds)
    {
        var (path, content) = RandFile(size, TimeSpan.FromSeconds(ageSeconds));

        var reading = await RandFileSource(path).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Ok, reading.Outcome.Status);
        Assert.Empty(reading.Outcome.Log);
        Assert.Equal(size + 32, reading.Material.Length);
        Assert.Equal(content, reading.Material[..size]);
        Assert.Equal(BitConverter.GetBytes((Instant - TimeSpan.FromSeconds(ageSeconds)).UtcTicks), reading.Material[size..(size + 8)]);
    }

    [Fact]
    public async Task A_rand_file_601_seconds_old_fails_as_too_old_and_unusable_its_bytes_still_fed_without_the_stat_record()
    {
        var (path, content) = RandFile(1024, TimeSpan.FromSeconds(601));

        var reading = await RandFileSource(path).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Failed, reading.Outcome.Status);
        Assert.Equal([$"STARTTLS: RandFile {path} too old: unusable"], reading.Outcome.Log);
        Assert.Equal(content, reading.Material);
    }

    [Fact]
    public async Task A_rand_file_601_seconds_old_with_InsufficientEntropy_is_weak_and_still_mixed_in()
    {
        var (path, content) = RandFile(1024, TimeSpan.FromSeconds(601));

        var reading = await RandFileSource(path, insufficientEntropy: true).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Weak, reading.Outcome.Status);
        Assert.Equal(
            [$"STARTTLS: RandFile {path} too old: unsafe", "STARTTLS: Warning: random number generator not properly seeded"],
            reading.Outcome.Log);
        Assert.Equal(1024 + 32, reading.Material.Length);
        Assert.Equal(content, reading.Material[..1024]);
    }

    [Fact]
    public async Task A_rand_file_of_100_bytes_fails_as_too_small_its_bytes_still_fed()
    {
        var (path, content) = RandFile(100, TimeSpan.FromSeconds(10));

        var reading = await RandFileSource(path).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Failed, reading.Outcome.Status);
        Assert.Equal([$"STARTTLS: size({path}) < 128: unusable"], reading.Outcome.Log);
        Assert.Equal(content, reading.Material);
    }

    [Fact]
    public async Task A_rand_file_readable_by_others_fails_safeopen()
    {
        var (path, _) = RandFile(1024, TimeSpan.FromSeconds(10), SharedFile);

        var reading = await RandFileSource(path).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Failed, reading.Outcome.Status);
        Assert.Equal([$"STARTTLS: Warning: safeopen({path}) failed"], reading.Outcome.Log);
        Assert.Empty(reading.Material);
    }

    [Fact]
    public async Task A_missing_rand_file_fails_safeopen()
    {
        var path = Path.Combine(_root, "absent");

        var reading = await RandFileSource(path).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Failed, reading.Outcome.Status);
        Assert.Equal([$"STARTTLS: Warning: safeopen({path}) failed"], reading.Outcome.Log);
    }

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0x40)]
    public async Task An_egd_daemon_answering_a_count_and_that_many_bytes_seeds_with_them(int count)
    {
        var random = Bytes(count, 5);
        await using var daemon = EgdDaemon.Start(SocketPath(), async connection =>
        {
            await connection.SendAsync(new byte[] { (byte)count });
            await connection.SendAsync(random);
        });

        var reading = await EgdSource(daemon.Path).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Ok, reading.Outcome.Status);
        Assert.Equal(count, reading.Outcome.BytesSeeded);
        Assert.Empty(reading.Outcome.Log);
        Assert.Equal(random, reading.Material);
        Assert.Equal(new byte[] { 0x01, 0xFF }, await daemon.Request.WaitAsync(Wait));
    }

    [Fact]
    public async Task An_egd_daemon_with_an_empty_pool_fails_with_sendmails_message()
    {
        await using var daemon = EgdDaemon.Start(SocketPath(), async connection => await connection.SendAsync(new byte[] { 0x00 }));

        var reading = await EgdSource(daemon.Path).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Failed, reading.Outcome.Status);
        Assert.Contains($"STARTTLS: RAND_egd({daemon.Path}) failed: random number generator not seeded", Assert.Single(reading.Outcome.Log), StringComparison.Ordinal);
        Assert.Empty(reading.Material);
        Assert.Equal(new byte[] { 0x01, 0xFF }, await daemon.Request.WaitAsync(Wait));
    }

    [Fact]
    public async Task An_egd_daemon_closing_after_a_short_reply_fails_as_a_short_read()
    {
        await using var daemon = EgdDaemon.Start(SocketPath(), async connection =>
        {
            await connection.SendAsync(new byte[] { 0x20 });
            await connection.SendAsync(Bytes(10, 1));
            connection.Shutdown(SocketShutdown.Send);
        });

        var reading = await EgdSource(daemon.Path).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Failed, reading.Outcome.Status);
        var line = Assert.Single(reading.Outcome.Log);
        Assert.StartsWith($"STARTTLS: RAND_egd({daemon.Path}) failed: random number generator not seeded", line, StringComparison.Ordinal);
        Assert.Contains("short read", line, StringComparison.Ordinal);
        Assert.Empty(reading.Material);
    }

    [Fact]
    public async Task A_missing_egd_socket_fails()
    {
        var path = SocketPath();

        var reading = await EgdSource(path).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Failed, reading.Outcome.Status);
        Assert.StartsWith($"STARTTLS: RAND_egd({path}) failed: random number generator not seeded", Assert.Single(reading.Outcome.Log), StringComparison.Ordinal);
        Assert.Empty(reading.Material);
    }

    [Fact]
    public async Task An_egd_daemon_that_never_answers_fails_at_the_timeout()
    {
        // The daemon reads the request and then waits for the client to give up and close.
        await using var daemon = EgdDaemon.Start(SocketPath(), async connection =>
        {
            var buffer = new byte[16];
            while (await connection.ReceiveAsync(buffer) > 0)
            {
            }
        });

        var reading = await EgdSource(daemon.Path, timeout: TimeSpan.FromMilliseconds(300)).ReadAsync(CancellationToken.None).WaitAsync(Wait);

        Assert.Equal(SeedStatus.Failed, reading.Outcome.Status);
        var line = Assert.Single(reading.Outcome.Log);
        Assert.StartsWith($"STARTTLS: RAND_egd({daemon.Path}) failed: random number generator not seeded", line, StringComparison.Ordinal);
        Assert.Contains("within 0.3 s", line, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x01, 0xFF }, await daemon.Request.WaitAsync(Wait));
    }

    [Fact]
    public async Task An_egd_failure_with_InsufficientEntropy_is_weak()
    {
        await using var daemon = EgdDaemon.Start(SocketPath(), async connection => await connection.SendAsync(new byte[] { 0x00 }));

        var reading = await EgdSource(daemon.Path, insufficientEntropy: true).ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Weak, reading.Outcome.Status);
        Assert.Equal(2, reading.Outcome.Log.Count);
        Assert.StartsWith($"STARTTLS: RAND_egd({daemon.Path}) failed: random number generator not seeded", reading.Outcome.Log[0], StringComparison.Ordinal);
        Assert.Equal("STARTTLS: Warning: random number generator not properly seeded", reading.Outcome.Log[1]);
        Assert.Empty(reading.Material);
    }

    [Fact]
    public async Task No_rand_file_means_the_kernel_source_with_48_bytes()
    {
        var source = EntropySources.For(null, insufficientEntropy: false, TimeProvider.System);

        Assert.IsType<KernelEntropySource>(source);
        var reading = await source.ReadAsync(CancellationToken.None);
        Assert.Equal(SeedStatus.Ok, reading.Outcome.Status);
        Assert.Equal(48, reading.Outcome.BytesSeeded);
        Assert.Empty(reading.Outcome.Log);
        Assert.Equal(48, reading.Material.Length);
    }

    [Theory]
    [InlineData("bogus:/x", "STARTTLS: Error: no proper random file definition bogus:/x")]
    [InlineData("", "STARTTLS: Error: missing random file definition")]
    public async Task A_broken_rand_file_definition_fails_with_sendmails_message(string value, string log)
    {
        var source = EntropySources.For(value, insufficientEntropy: false, TimeProvider.System);

        var reading = await source.ReadAsync(CancellationToken.None);

        Assert.Equal(SeedStatus.Failed, reading.Outcome.Status);
        Assert.Equal([log], reading.Outcome.Log);
        Assert.Empty(reading.Material);
    }

    [Fact]
    public void An_egd_definition_gives_the_egd_source()
    {
        var source = EntropySources.For("egd:/p", insufficientEntropy: false, TimeProvider.System);

        Assert.IsType<EgdEntropySource>(source);
        Assert.Equal("egd:/p", source.Description);
    }

    [Fact]
    public void A_file_definition_in_any_case_gives_the_rand_file_source()
    {
        var source = EntropySources.For("FILE:/p", insufficientEntropy: false, TimeProvider.System);

        Assert.IsType<RandFileEntropySource>(source);
        Assert.Equal("file:/p", source.Description);
    }

    private static RandFileEntropySource RandFileSource(string path, bool insufficientEntropy = false) =>
        new(path, insufficientEntropy, new FixedTimeProvider(Instant));

    private static EgdEntropySource EgdSource(string path, bool insufficientEntropy = false, TimeSpan? timeout = null) =>
        new(path, insufficientEntropy, timeout ?? TimeSpan.FromSeconds(10));

    private static byte[] Bytes(int length, byte salt) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 13 + salt))];

    private (string Path, byte[] Content) RandFile(int size, TimeSpan age, UnixFileMode mode = PrivateFile)
    {
        var path = Path.Combine(_root, "randfile");
        var content = Bytes(size, 9);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, mode);
        File.SetLastWriteTimeUtc(path, (Instant - age).UtcDateTime);
        return (path, content);
    }

    private string SocketPath() => Path.Combine(_root, "egd.sock");

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
