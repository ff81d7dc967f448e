using System.Runtime.Versioning;
using System.Text.Json;
using Gateway.Cli;

namespace Gateway.Tests.Access;

/// <summary>
/// <c>gateway map test --server-name</c> on SPEC R59 (worked example B): the client-side hooks Clt_Features, Try_TLS,
/// tls_server and tls_rcpt with every key tried in R55's order, and what the relaying client does (R20, R24, R26).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class MapTestRelayTests : IDisposable
{
    private const string R59 = """
        TLS_Srv:secure.example.net          ENCR:112
        TLS_Srv:bank.example.org            VERIFY+CN++CITag:BankCA
        BankCA:/C=DE/O=Bank+20CA/CN=Bank+20Root   OK
        TLS_Rcpt:ceo@example.org            ENCR:128+CN:mx.example.org
        TLS_Rcpt:example.edu                TEMP+VERIFY
        Try_TLS:broken.example              NO
        Clt_Features:example.org            D
        """;

    private readonly MapDirectory _maps = new();

    public void Dispose() => _maps.Dispose();

    private string R59Map => _maps.Write("r59", R59 + "\n");

    [Fact]
    public void R59_row_2_a_server_without_starttls_gets_quit_and_the_recipients_stay_queued()
    {
        var (exit, output, _) = Run("test", "--map", R59Map, "--server-name", "mx2.secure.example.net", "--server-addr", "192.0.2.20", "--rcpt", "u@secure.example.net");

        Assert.Equal(0, exit);
        Assert.Contains("relaying to {server_name}=mx2.secure.example.net {server_addr}=192.0.2.20, {verify}=NONE, {cipher_bits}=0\n", output, StringComparison.Ordinal);
        var hook = Hook(output, "tls_server");
        Assert.Equal(["     TLS_Srv:mx2.secure.example.net", "  => TLS_Srv:secure.example.net   \"ENCR:112\""], hook[..^1]);
        Assert.StartsWith("  verdict: REJECT  454 4.7.0 encryption too weak 0 less than 112  (", hook[^1], StringComparison.Ordinal);
        Assert.Equal(
            [
                "  STARTTLS  ->  {verify}=NONE",
                "  tls_server  ->  QUIT and close; every recipient stays queued: Deferred: 454 4.7.0 encryption too weak 0 less than 112",
                "  RCPT TO:<u@secure.example.net>  ->  not sent: the connection ended at tls_server",
            ],
            Hook(output, "what the client does"));
    }

    [Fact]
    public void R59_row_10_try_tls_no_keeps_the_connection_in_clear_text_and_tls_rcpt_holds_back_a_recipient_needing_verify()
    {
        var (exit, output, _) = Run(
            "test", "--map", R59Map, "--server-name", "mx.broken.example", "--server-addr", "192.0.2.99", "--verify", "OK", "--cipher-bits", "256", "--rcpt", "x@dept.example.edu");

        Assert.Equal(0, exit);
        Assert.Equal(
            [
                "     Try_TLS:mx.broken.example",
                "  => Try_TLS:broken.example   \"NO\"",
                "  verdict: pass  (Try_TLS:broken.example NO: 550 5.7.1 do not try TLS with mx.broken.example [192.0.2.99])",
                "  STARTTLS not tried",
            ],
            Hook(output, "Try_TLS"));
        Assert.Equal(
            [
                "  STARTTLS  ->  not sent (Try_TLS NO), {verify}=NONE",
                "  tls_server  ->  go on to MAIL",
                "  RCPT TO:<x@dept.example.edu>  ->  not sent; the recipient stays queued: Deferred: 403 4.7.0 other side does not support STARTTLS",
            ],
            Hook(output, "what the client does"));
    }

    [Fact]
    public void A_failed_handshake_closes_without_quit_and_a_perm_refusal_fails_the_recipient()
    {
        var map = _maps.Write("perm", "TLS_Srv:example.net PERM+ENCR:1\nTLS_Rcpt:example.org PERM+VERIFY\n");

        var handshake = Run("test", "--map", map, "--server-name", "mx.example.net", "--verify", "software");
        var rcpt = Run("test", "--map", map, "--server-name", "mx.example.org", "--verify", "FAIL", "--cipher-bits", "256", "--rcpt", "a@example.org");

        Assert.Contains(
            "  tls_server  ->  close without QUIT (the handshake failed); every recipient failed, delivery report status 5.7.0: 503 5.7.0 TLS handshake failed.\n",
            handshake.Output,
            StringComparison.Ordinal);
        Assert.Contains(
            "  RCPT TO:<a@example.org>  ->  not sent; the recipient failed, delivery report status 5.7.0: 503 5.7.0 authentication failed\n",
            rcpt.Output,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Clt_features_is_looked_up_by_name_only_and_the_json_report_carries_the_hooks()
    {
        var (exit, output, _) = Run("test", "--map", R59Map, "--server-name", "mx.example.org", "--server-addr", "192.0.2.25", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var hooks = json.RootElement.GetProperty("hooks").EnumerateArray().ToList();
        Assert.Equal(["Clt_Features", "Try_TLS", "tls_server"], hooks.Select(h => h.GetProperty("name").GetString()));
        var lookup = hooks[0].GetProperty("lookups")[0];
        Assert.Equal(["Clt_Features:mx.example.org", "Clt_Features:example.org"], lookup.GetProperty("tried").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("DANE off, MTA-STS as configured", hooks[0].GetProperty("features").GetString());
        Assert.Equal("192.0.2.25", json.RootElement.GetProperty("serverAddr").GetString());
    }

    [Theory]
    [InlineData(new[] { "test", "--server-name", "mx.example.net", "--client-addr", "192.0.2.7" }, "--client-addr describes a client of this gateway")]
    [InlineData(new[] { "test", "--server-name", "mx.example.net", "--from", "a@example.org" }, "--from describes a client of this gateway")]
    [InlineData(new[] { "test", "--server-addr", "192.0.2.7" }, "--server-addr needs --server-name")]
    [InlineData(new[] { "test", "--server-name", "mx.example.net", "--server-addr", "mx" }, "--server-addr needs the server's IP address")]
    public void A_bad_relaying_command_line_exits_64_naming_the_switch(string[] args, string message)
    {
        var (exit, output, error) = Run(args);

        Assert.Equal(64, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = GatewayCommandLine.InvokeAsync(["map", .. args], new CommandLineConsole(output, error)).GetAwaiter().GetResult();
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The lines printed under one heading, up to the blank line or the end that closes it (the heading excluded).</summary>
    private static string[] Hook(string output, string name)
    {
        var lines = output.Split('\n');
        var start = Array.IndexOf(lines, name);
        Assert.True(start >= 0, $"no heading '{name}' in:\n{output}");
        return [.. lines.Skip(start + 1).TakeWhile(l => l.Length > 0)];
    }
}
