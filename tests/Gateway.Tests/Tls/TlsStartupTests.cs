using Gateway.Configuration;
using Gateway.Tests.Support;

namespace Gateway.Tests.Tls;

/// <summary>
/// SPEC R32/R34/R88 as a deliberate departure from sendmail (DESIGN): an unsafe or unusable TLS
/// file stops start-up with a message naming the key, the file and the reason.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TlsStartupTests : IDisposable
{
    private readonly TestPki _pki = new();

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "", "Group readable file")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "GroupReadableKeyFile", "World readable file")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite, "", "Group writable file")]
    public async Task An_unsafe_key_file_stops_start_up_naming_the_file_and_the_reason(UnixFileMode mode, string dontBlame, string reason)
    {
        File.SetUnixFileMode(_pki.KeyFile("server"), mode);
        string[] switches = [.. _pki.ServerSwitches(), .. dontBlame.Length > 0 ? [$"--DontBlameSendmail:0={dontBlame}"] : Array.Empty<string>()];

        var error = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync(switches));

        Assert.Equal("Tls:ServerKeyFile", error.Key);
        Assert.Contains($"file {_pki.KeyFile("server")} unsafe: {reason}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_readable_key_is_accepted_with_DontBlameSendmail_GroupReadableKeyFile()
    {
        File.SetUnixFileMode(_pki.KeyFile("server"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        await using var node = await TestNode.StartAsync([.. _pki.ServerSwitches(), "--DontBlameSendmail:0=GroupReadableKeyFile"]);

        Assert.NotEmpty(node.Node.SmtpEndpoints);
    }

    [Fact]
    public async Task A_key_in_a_world_writable_directory_stops_start_up()
    {
        var open = Directory.CreateDirectory(Path.Combine(_pki.Directory, "open")).FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111);
        var key = Path.Combine(open, "server.key");
        File.Copy(_pki.KeyFile("server"), key);

        var error = await Assert.ThrowsAsync<ConfigurationError>(() =>
            TestNode.StartAsync($"--Tls:ServerCertFile={_pki.CertFile("server")}", $"--Tls:ServerKeyFile={key}"));

        Assert.Contains("World writable directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_owned_by_another_user_stops_start_up_unless_CertOwner_is_allowed()
    {
        // SPEC R34: the owner must be the run-as user or root. Only root can give a file away.
        if (Gateway.Tls.NativeMethods.Geteuid() != 0)
        {
            return;
        }

        var key = _pki.KeyFile("server");
        Assert.Equal(0, Chown(key, 65534));

        var error = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync(_pki.ServerSwitches()));
        Assert.Contains("unsafe: Permission denied", error.Message, StringComparison.Ordinal);

        await using var node = await TestNode.StartAsync([.. _pki.ServerSwitches(), "--DontBlameSendmail:0=CertOwner"]);
        Assert.NotEmpty(node.Node.SmtpEndpoints);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "chown", SetLastError = true)]
#pragma warning disable CA2101, SYSLIB1054 // A test-only call; the path is ASCII.
    private static extern int ChownNative([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPStr)] string path, int owner, int group);
#pragma warning restore CA2101, SYSLIB1054

    private static int Chown(string path, int owner) => ChownNative(path, owner, -1);

    [Fact]
    public async Task A_key_that_does_not_match_the_certificate_stops_start_up()
    {
        var error = await Assert.ThrowsAsync<ConfigurationError>(() =>
            TestNode.StartAsync($"--Tls:ServerCertFile={_pki.CertFile("server")}", $"--Tls:ServerKeyFile={_pki.KeyFile("client")}"));

        Assert.Equal("Tls:ServerKeyFile", error.Key);
        Assert.Contains("does not match the certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_certificate_file_stops_start_up_naming_it()
    {
        var missing = Path.Combine(_pki.Directory, "nope.crt");

        var error = await Assert.ThrowsAsync<ConfigurationError>(() =>
            TestNode.StartAsync($"--Tls:ServerCertFile={missing}", $"--Tls:ServerKeyFile={_pki.KeyFile("server")}"));

        Assert.Equal("Tls:ServerCertFile", error.Key);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_certificate_a_self_signed_one_is_generated_once_with_a_0600_key()
    {
        // The node's own temporary root goes when it stops; keep the spool where both starts see it.
        var spool = Path.Combine(_pki.Directory, "spool");
        await using (await TestNode.StartAsync($"--Queue:Directory={spool}"))
        {
        }

        var key = Path.Combine(spool, "tls", "server.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        var before = File.ReadAllText(key);
        await using (await TestNode.StartAsync($"--Queue:Directory={spool}"))
        {
            Assert.Equal(before, File.ReadAllText(key));
        }
    }

    public void Dispose() => _pki.Dispose();
}
