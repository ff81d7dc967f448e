using System.Runtime.Versioning;
using Gateway.Configuration;
using Gateway.Protocol.Access;
using Gateway.Tests.Support;

namespace Gateway.Tests.Access;

/// <summary>
/// A node does not start on an access map it cannot trust or read (a deliberate departure from sendmail, which
/// would run without it): the error names Access:MapFile, the file and the line or sendmail's "unsafe" reason.
/// The other Access:* keys are refused by name as well.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AccessMapStartupTests : IDisposable
{
    private readonly MapDirectory _maps = new();

    public void Dispose() => _maps.Dispose();

    [Theory]
    [InlineData("Connect:192.0.2.7 OK\nTLS_Clt:laptops.example.com PERM+VERIFY:112\nconnect:192.0.2.7 REJECT\n", 3, "duplicate key 'connect:192.0.2.7' (first on line 1)")]
    [InlineData("# inbound\nTLS_Clt:x VERIFY:abc\n", 2, "TLS_Clt:x: ")]
    [InlineData("Srv_Features: V\nSrv_Features:laptops.example.com q\n", 2, "'q' is not a server feature letter")]
    [InlineData("\n\n\nConnect:192.0.2.7\n", 4, "key 'Connect:192.0.2.7' has no value")]
    [InlineData("CertIssuer:/C=US/O=Partner/CN=Partner+20CA OK\n", 1, "a CertIssuer entry is RELAY or SUBJECT")]
    public async Task A_map_with_a_parse_error_stops_start_up_naming_the_key_the_file_and_the_line(string text, int line, string reason)
    {
        var file = _maps.Write("access", text);

        var error = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync($"--Access:MapFile={file}"));

        Assert.Equal("Access:MapFile", error.Key);
        Assert.Contains("Access:MapFile", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{file}, line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_map_stops_start_up_naming_the_file()
    {
        var file = _maps.PathOf("no-such-access");

        var error = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync($"--Access:MapFile={file}"));

        Assert.Equal("Access:MapFile", error.Key);
        Assert.Contains($"{file}: no such file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UnixFileMode.OtherWrite, "World writable file")]
    [InlineData(UnixFileMode.GroupWrite, "Group writable file")]
    public async Task A_map_others_can_write_stops_start_up_with_sendmails_unsafe_reason(UnixFileMode extra, string reason)
    {
        var file = _maps.Write("access", "Connect:192.0.2.7 OK\n");
        File.SetUnixFileMode(file, MapDirectory.SafeFile | extra);

        var error = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync($"--Access:MapFile={file}"));

        Assert.Equal("Access:MapFile", error.Key);
        Assert.Contains($"file {file} unsafe: {reason}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_map_in_a_world_writable_directory_stops_start_up()
    {
        var open = Directory.CreateDirectory(_maps.PathOf("open")).FullName;
        File.SetUnixFileMode(open, MapDirectory.SafeDirectory | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        var file = Path.Combine(open, "access");
        File.WriteAllText(file, "Connect:192.0.2.7 OK\n");
        File.SetUnixFileMode(file, MapDirectory.SafeFile);

        var error = await Assert.ThrowsAsync<ConfigurationError>(() => TestNode.StartAsync($"--Access:MapFile={file}"));

        Assert.Equal("Access:MapFile", error.Key);
        Assert.Contains($"file {file} unsafe: World writable directory", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Access:ReplyCodes=bogus", "Access:ReplyCodes", "must be sendmail, sendmail-perm-err or rfc")]
    [InlineData("--Access:CertRegexIssuer=-s9 /CN=(x)", "Access:CertRegexIssuer", "no capture group 9")]
    [InlineData("--Access:CertRegexIssuer=-z foo", "Access:CertRegexIssuer", "'-z' is not a supported regex map flag")]
    [InlineData("--Access:CertRegexSubject=-s1 /CN=([^/]*", "Access:CertRegexSubject", "/CN=([^/]*")]
    [InlineData("--Access:CertRegexSubject=-sx /CN=(.*)", "Access:CertRegexSubject", "'-sx': -s takes capture group numbers")]
    [InlineData("--Access:CertRegexSubject=-s1", "Access:CertRegexSubject", "has no regular expression")]
    public void An_invalid_access_setting_is_an_error_that_names_the_key(string change, string key, string reason)
    {
        var error = Assert.Throws<ConfigurationError>(() => ConfigurationLoader.Load(null, [change]));

        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sendmail", ReplyCodeStyle.Sendmail)]
    [InlineData("sendmail-perm-err", ReplyCodeStyle.SendmailPermErr)]
    [InlineData("rfc", ReplyCodeStyle.Rfc)]
    public void Each_documented_reply_code_style_is_accepted(string value, ReplyCodeStyle style)
    {
        var settings = ConfigurationLoader.Load(null, [$"--Access:ReplyCodes={value}"]);

        Assert.Equal(style, settings.Access.Policy.ReplyCodes);
    }

    [Fact]
    public void The_spec_R61_regexes_are_accepted_and_transform_the_encoded_DN()
    {
        var settings = ConfigurationLoader.Load(null, ["--Access:CertRegexIssuer=-s1 /CN=([^/]*)", "--Access:CertRegexSubject=-s1 /CN=([^/]*)"]);

        Assert.Equal("relay1.example.com", settings.Access.Policy.SubjectRegex!.Transform("/C=US/O=Example+20Corp/CN=relay1.example.com"));
        Assert.Equal("Partner+20CA", settings.Access.Policy.IssuerRegex!.Transform("/C=US/O=Partner/CN=Partner+20CA"));
    }

    [Fact]
    public void A_relative_map_path_is_made_absolute_so_errors_and_logs_name_the_file_read()
    {
        var settings = ConfigurationLoader.Load(null, ["--Access:MapFile=access"]);

        Assert.Equal(Path.GetFullPath("access"), settings.Access.MapFile);
    }
}
