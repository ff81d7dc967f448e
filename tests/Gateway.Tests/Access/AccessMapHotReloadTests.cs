using System.Runtime.Versioning;
using Akka.Actor;
using Gateway.Actors.Policy;
using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;
using Gateway.Tests.Support;

namespace Gateway.Tests.Access;

/// <summary>
/// Access:MapFile in a running node: the PolicyActor answers from the file, an edit (in place or renamed over) is
/// in force within seconds, and a broken, unsafe or vanished map leaves the last good one in force while
/// PolicyStatus names the file and the line.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AccessMapHotReloadTests : IDisposable
{
    /// <summary>The watcher looks once a second; this is generous for a loaded 2-core machine.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private const string Client = "192.0.2.7";

    private const string Rejecting = "# the client at 192.0.2.7\nConnect:192.0.2.7 REJECT\nConnect:192.0.2.8 OK\n";

    private readonly MapDirectory _maps = new();
    private long _ids;

    public void Dispose() => _maps.Dispose();

    [Fact]
    public async Task The_node_answers_from_the_map_it_was_started_with()
    {
        var file = _maps.Write("access", Rejecting);

        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");

        var verdict = await ConnectAsync(node, Client);
        Assert.Equal(VerdictKind.Reject, verdict.Kind);
        Assert.Equal("550 5.7.1 Access denied", verdict.Reply);
        Assert.Equal(VerdictKind.Ok, (await ConnectAsync(node, "192.0.2.8")).Kind);
        Assert.Equal(VerdictKind.Continue, (await ConnectAsync(node, "198.51.100.9")).Kind);
        var status = await StatusAsync(node);
        Assert.EndsWith($" of {file}", status.Source, StringComparison.Ordinal);
        Assert.Equal(2, status.Entries);
        Assert.Equal(1, status.Reloads);
        Assert.Null(status.LastReloadError);
    }

    [Fact]
    public async Task An_edit_in_place_is_in_force_without_a_restart()
    {
        var file = _maps.Write("access", Rejecting);
        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");
        Assert.Equal(VerdictKind.Reject, (await ConnectAsync(node, Client)).Kind);

        _maps.Write("access", "Connect:192.0.2.7 RELAY\n");

        await Eventually.UntilAsync(() => ConnectAsync(node, Client), v => v.Kind == VerdictKind.Relay, "the edited map", Deadline);
        var status = await StatusAsync(node);
        Assert.Equal(1, status.Entries);
        Assert.True(status.Reloads >= 2, $"Reloads = {status.Reloads}");
        Assert.Null(status.LastReloadError);
    }

    [Fact]
    public async Task A_file_renamed_over_the_map_is_in_force_without_a_restart()
    {
        var file = _maps.Write("access", Rejecting);
        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");
        Assert.Equal(VerdictKind.Reject, (await ConnectAsync(node, Client)).Kind);

        _maps.Replace("access", "Connect:192.0.2.7 OK\nConnect:192.0.2.8 REJECT\nConnect:192.0.2.9 DISCARD\n");

        await Eventually.UntilAsync(() => ConnectAsync(node, Client), v => v.Kind == VerdictKind.Ok, "the renamed map", Deadline);
        Assert.Equal(VerdictKind.Reject, (await ConnectAsync(node, "192.0.2.8")).Kind);
        Assert.Equal(VerdictKind.Discard, (await ConnectAsync(node, "192.0.2.9")).Kind);
        var status = await StatusAsync(node);
        Assert.EndsWith($" of {file}", status.Source, StringComparison.Ordinal);
        Assert.Equal(3, status.Entries);
        Assert.Equal(2, status.Reloads);
    }

    [Theory]
    [InlineData("Connect:192.0.2.7 OK\n# an older entry for the same client\nconnect:192.0.2.7 RELAY\n", 3, "duplicate key")]
    [InlineData("Connect:192.0.2.7 OK\nTLS_Clt:x VERIFY:abc\n", 2, "TLS_Clt:x")]
    [InlineData("Connect:192.0.2.7 OK\n\nConnect:192.0.2.8\n", 3, "has no value")]
    public async Task A_broken_edit_keeps_the_last_good_map_and_names_the_file_and_line_until_fixed(string broken, int line, string reason)
    {
        var file = _maps.Write("access", Rejecting);
        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");

        // Renamed over, so the watcher sees only the whole broken file, never a half-written one.
        _maps.Replace("access", broken);

        var failed = await Eventually.UntilAsync(() => StatusAsync(node), s => s.LastReloadError is not null, "a reload error", Deadline);
        Assert.Contains($"{file}, line {line}: ", failed.LastReloadError, StringComparison.Ordinal);
        Assert.Contains(reason, failed.LastReloadError, StringComparison.Ordinal);
        Assert.Equal(2, failed.Entries);
        Assert.Equal(1, failed.Reloads);
        Assert.Equal(VerdictKind.Reject, (await ConnectAsync(node, Client)).Kind);
        Assert.Equal(VerdictKind.Ok, (await ConnectAsync(node, "192.0.2.8")).Kind);

        _maps.Replace("access", "Connect:192.0.2.7 DISCARD\n");

        await Eventually.UntilAsync(() => ConnectAsync(node, Client), v => v.Kind == VerdictKind.Discard, "the fixed map", Deadline);
        var fixedStatus = await StatusAsync(node);
        Assert.Null(fixedStatus.LastReloadError);
        Assert.Equal(1, fixedStatus.Entries);
        Assert.Equal(2, fixedStatus.Reloads);
        Assert.Equal(VerdictKind.Continue, (await ConnectAsync(node, "192.0.2.8")).Kind);
    }

    [Fact]
    public async Task A_deleted_map_keeps_the_last_good_one_in_force_and_is_reported_until_it_is_back()
    {
        var file = _maps.Write("access", Rejecting);
        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");

        File.Delete(file);

        var failed = await Eventually.UntilAsync(() => StatusAsync(node), s => s.LastReloadError is not null, "a reload error", Deadline);
        Assert.Contains(file, failed.LastReloadError, StringComparison.Ordinal);
        Assert.Contains("no such file", failed.LastReloadError, StringComparison.Ordinal);
        Assert.Equal(2, failed.Entries);
        Assert.Equal(VerdictKind.Reject, (await ConnectAsync(node, Client)).Kind);

        _maps.Replace("access", "Connect:192.0.2.7 OK\n");

        await Eventually.UntilAsync(() => ConnectAsync(node, Client), v => v.Kind == VerdictKind.Ok, "the restored map", Deadline);
        Assert.Null((await StatusAsync(node)).LastReloadError);
    }

    [Fact]
    public async Task An_edit_to_a_map_others_can_write_is_refused_as_unsafe_and_the_last_good_map_stays()
    {
        var file = _maps.Write("access", Rejecting);
        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");
        File.SetUnixFileMode(file, MapDirectory.SafeFile | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);

        // Written in place, so the file stays world-writable (a rename would bring its own mode).
        File.WriteAllText(file, "Connect:192.0.2.7 RELAY\n");

        var failed = await Eventually.UntilAsync(() => StatusAsync(node), s => s.LastReloadError is not null, "a reload error", Deadline);
        Assert.Contains($"file {file} unsafe: World writable file", failed.LastReloadError, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.Reject, (await ConnectAsync(node, Client)).Kind);
        Assert.Equal(1, failed.Reloads);
    }

    [Fact]
    public async Task A_chmod_alone_that_makes_the_map_unsafe_is_noticed()
    {
        var file = _maps.Write("access", Rejecting);
        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");

        // Same bytes, same modification time: only the status-change time says something happened.
        File.SetUnixFileMode(file, MapDirectory.SafeFile | UnixFileMode.OtherWrite);

        var failed = await Eventually.UntilAsync(() => StatusAsync(node), s => s.LastReloadError is not null, "a reload error", Deadline);
        Assert.Contains($"file {file} unsafe: World writable file", failed.LastReloadError, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.Reject, (await ConnectAsync(node, Client)).Kind);
    }

    [Fact]
    public async Task A_file_renamed_over_the_map_with_the_same_size_and_time_is_noticed()
    {
        var file = _maps.Write("access", Rejecting);
        var modified = File.GetLastWriteTimeUtc(file);
        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");

        // As rsync -t or cp -p deliver it: another file, the same length, the old modification time kept.
        var replacement = Rejecting.Replace("REJECT", "RELAY ", StringComparison.Ordinal);
        Assert.Equal(Rejecting.Length, replacement.Length);
        var temporary = _maps.Write("access.new", replacement);
        File.SetLastWriteTimeUtc(temporary, modified);
        File.Move(temporary, file, overwrite: true);
        Assert.Equal(modified, File.GetLastWriteTimeUtc(file));

        await Eventually.UntilAsync(() => ConnectAsync(node, Client), v => v.Kind == VerdictKind.Relay, "the replaced map", Deadline);
    }

    [Fact]
    public async Task A_map_reached_through_a_symlink_is_reloaded_when_its_target_is_edited()
    {
        var target = _maps.Write("access.real", Rejecting);
        var file = File.CreateSymbolicLink(_maps.PathOf("access"), target).FullName;
        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");
        Assert.Equal(VerdictKind.Reject, (await ConnectAsync(node, Client)).Kind);

        _maps.Replace("access.real", "Connect:192.0.2.7 OK\n");

        await Eventually.UntilAsync(() => ConnectAsync(node, Client), v => v.Kind == VerdictKind.Ok, "the edited link target", Deadline);
        Assert.EndsWith($" of {file}", (await StatusAsync(node)).Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_map_behind_a_switched_directory_symlink_is_reloaded_as_a_Kubernetes_ConfigMap_update_does_it()
    {
        // ConfigMap volumes: access -> ..data/access, and an update swaps ..data to a new directory; the link
        // named in Access:MapFile never changes itself, so only the target's stamp can reveal the edit.
        var first = Directory.CreateDirectory(_maps.PathOf("..2024_01")).FullName;
        var second = Directory.CreateDirectory(_maps.PathOf("..2024_02")).FullName;
        File.SetUnixFileMode(first, MapDirectory.SafeDirectory);
        File.SetUnixFileMode(second, MapDirectory.SafeDirectory);
        _maps.Write("..2024_01/access", Rejecting);
        _maps.Write("..2024_02/access", "Connect:192.0.2.7 RELAY\n");
        File.CreateSymbolicLink(_maps.PathOf("..data"), "..2024_01");
        var file = File.CreateSymbolicLink(_maps.PathOf("access"), "..data/access").FullName;
        await using var node = await TestNode.StartAsync($"--Access:MapFile={file}");
        Assert.Equal(VerdictKind.Reject, (await ConnectAsync(node, Client)).Kind);

        File.CreateSymbolicLink(_maps.PathOf("..data_tmp"), "..2024_02");
        Assert.Equal(0, Rename(_maps.PathOf("..data_tmp"), _maps.PathOf("..data")));

        await Eventually.UntilAsync(() => ConnectAsync(node, Client), v => v.Kind == VerdictKind.Relay, "the map behind the switched link", Deadline);
        Assert.Null((await StatusAsync(node)).LastReloadError);
    }

    // File.Move follows a link to a directory and refuses it; rename(2) swaps the link itself, atomically.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
#pragma warning disable CA2101, SYSLIB1054 // A test-only call; the paths are ASCII.
    private static extern int Rename(
        [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPStr)] string from,
        [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPStr)] string to);
#pragma warning restore CA2101, SYSLIB1054

    private async Task<Verdict> ConnectAsync(TestNode node, string address)
    {
        var id = Interlocked.Increment(ref _ids);
        var answer = await node.Node.Policy.Ask<PolicyProtocol.PolicyVerdict>(
            new PolicyProtocol.CheckPolicy(id, new PolicyQuestion.Connect($"[{address}]", address)), TimeSpan.FromSeconds(5));
        Assert.Equal(id, answer.Id);
        return answer.Verdict;
    }

    private static Task<PolicyProtocol.PolicyStatus> StatusAsync(TestNode node) =>
        node.Node.Policy.Ask<PolicyProtocol.PolicyStatus>(PolicyProtocol.GetPolicyStatus.Instance, TimeSpan.FromSeconds(5));
}
