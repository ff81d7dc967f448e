using System.Runtime.Versioning;
using System.Text.Json;
using Gateway.Cli;

namespace Gateway.Tests.Access;

/// <summary>
/// <c>gateway map test</c> on the worked examples of SPEC R58 (tls_client) and R62 (RelayTLS): every key each hook
/// tries, in R55's order, the hit marked <c>=&gt;</c> with its value, and the verdict with its exact reply.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class MapTestCommandTests : IDisposable
{
    private const string R58 = """
        TLS_Clt:laptops.example.com   PERM+VERIFY:112
        TLS_Clt:10.1                  ENCR:128
        Srv_Features:laptops.example.com   v
        Srv_Features:                      V
        """;

    private const string R62 = """
        CertIssuer:/C=US/O=Example+20Corp/CN=Example+20Issuing+20CA   SUBJECT
        CertSubject:/C=US/O=Example+20Corp/CN=relay1.example.com        RELAY
        CertIssuer:/C=US/O=Partner/CN=Partner+20CA                      RELAY
        """;

    private const string ExampleIssuer = "/C=US/O=Example+20Corp/CN=Example+20Issuing+20CA";

    private const string PartnerIssuer = "/C=US/O=Partner/CN=Partner+20CA";

    private readonly MapDirectory _maps = new();

    public void Dispose() => _maps.Dispose();

    private string R58Map => _maps.Write("r58", R58 + "\n");

    private string R62Map => _maps.Write("r62", R62 + "\n");

    [Fact]
    public void A_laptop_without_a_certificate_is_refused_503_by_its_parent_domains_PERM_entry()
    {
        var (exit, output, _) = Run("test", "--map", R58Map, "--client-addr", "192.0.2.7", "--client-name", "pc7.laptops.example.com", "--verify", "NO");

        Assert.Equal(0, exit);
        Assert.StartsWith($"access map {_maps.PathOf("r58")} (4 entries), reply codes sendmail\n", output, StringComparison.Ordinal);
        var hook = Hook(output, "tls_client (STARTTLS)");
        Assert.Equal(
            ["     TLS_Clt:pc7.laptops.example.com", "  => TLS_Clt:laptops.example.com   \"PERM+VERIFY:112\""],
            hook[..^1]);
        Assert.StartsWith("  verdict: REJECT  503 5.7.0 not authenticated  (", hook[^1], StringComparison.Ordinal);
        Assert.Equal(
            ["  verdict: not asked  503 5.7.0 not authenticated  (the session is in restricted mode (R10): the server answers without asking the map)"],
            Hook(output, "MAIL"));
        Assert.Equal(
            [
                "     Srv_Features:pc7.laptops.example.com",
                "  => Srv_Features:laptops.example.com   \"v\"",
                "  verdict: pass  (Srv_Features:laptops.example.com)",
                "  STARTTLS as configured, client certificate requested",
            ],
            Hook(output, "Srv_Features"));
    }

    [Fact]
    public void A_laptop_without_STARTTLS_is_refused_at_MAIL_with_authentication_required()
    {
        var (exit, output, _) = Run("test", "--map", R58Map, "--client-addr", "192.0.2.7", "--client-name", "pc7.laptops.example.com");

        Assert.Equal(0, exit);
        Assert.Contains("{verify}=(empty: no STARTTLS)", output, StringComparison.Ordinal);
        Assert.StartsWith("  verdict: REJECT  503 5.7.0 authentication required  (", Hook(output, "tls_client (MAIL)")[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_verified_laptop_with_enough_bits_passes()
    {
        var (exit, output, _) = Run(
            "test", "--map", R58Map, "--client-addr", "192.0.2.7", "--client-name", "pc7.laptops.example.com", "--verify", "ok", "--cipher-bits", "256");

        Assert.Equal(0, exit);
        var hook = Hook(output, "tls_client (STARTTLS)");
        Assert.Equal("  => TLS_Clt:laptops.example.com   \"PERM+VERIFY:112\"", hook[1]);
        Assert.StartsWith("  verdict: pass  (", hook[^1], StringComparison.Ordinal);
        Assert.StartsWith("  verdict: pass  (tls_client (MAIL): ", Hook(output, "tls_client (MAIL)")[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_without_a_name_tries_the_bracketed_name_octet_by_octet_then_the_address()
    {
        var (exit, output, _) = Run("test", "--map", R58Map, "--client-addr", "10.1.4.5");

        Assert.Equal(0, exit);
        Assert.Contains("client {client_name}=[10.1.4.5] {client_addr}=10.1.4.5, {verify}=(empty: no STARTTLS), {cipher_bits}=0\n", output, StringComparison.Ordinal);
        Assert.Equal(
            [
                "     TLS_Clt:[10.1.4.5]",
                "     TLS_Clt:[10.1.4]",
                "     TLS_Clt:[10.1]",
                "     TLS_Clt:[10]",
                "     TLS_Clt:10.1.4.5",
                "     TLS_Clt:10.1.4",
                "  => TLS_Clt:10.1   \"ENCR:128\"",
            ],
            Hook(output, "tls_client (MAIL)")[..^1]);
        Assert.StartsWith("  verdict: REJECT  454 4.7.0 encryption too weak 0 less than 128  (", Hook(output, "tls_client (MAIL)")[^1], StringComparison.Ordinal);
        Assert.Equal(
            [
                "     Srv_Features:[10.1.4.5]",
                "     Srv_Features:[10.1.4]",
                "     Srv_Features:[10.1]",
                "     Srv_Features:[10]",
                "     Srv_Features:10.1.4.5",
                "     Srv_Features:10.1.4",
                "     Srv_Features:10.1",
                "     Srv_Features:10",
                "  => Srv_Features:   \"V\"",
                "  verdict: pass  (Srv_Features:)",
                "  STARTTLS as configured, client certificate not requested",
            ],
            Hook(output, "Srv_Features"));
    }

    [Fact]
    public void The_same_address_with_256_bits_and_no_certificate_requested_passes()
    {
        var (exit, output, _) = Run("test", "--map", R58Map, "--client-addr", "10.1.4.5", "--verify", "NOT", "--cipher-bits", "256");

        Assert.Equal(0, exit);
        Assert.StartsWith("  verdict: pass  (", Hook(output, "tls_client (STARTTLS)")[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Bits_without_STARTTLS_count_as_none_as_in_the_session()
    {
        // No --verify: no STARTTLS, so the session's {cipher_bits} is 0 whatever the command line says.
        var (exit, output, _) = Run("test", "--map", R58Map, "--client-addr", "10.1.4.5", "--cipher-bits", "256", "--from", "a@example.org");

        Assert.Equal(0, exit);
        Assert.Contains("{verify}=(empty: no STARTTLS), {cipher_bits}=0\n", output, StringComparison.Ordinal);
        Assert.Contains("  MAIL FROM:<a@example.org>  ->  454 4.7.0 encryption too weak 0 less than 128\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_auth_ssf_the_gateway_cannot_have_is_refused()
    {
        var (exit, output, error) = Run("test", "--map", R58Map, "--client-addr", "10.1.4.5", "--auth-ssf", "128");

        Assert.Equal(64, exit);
        Assert.Equal("", output);
        Assert.Contains("--auth-ssf: the gateway offers no AUTH, so {auth_ssf} is 0 in every session", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_with_no_entry_tries_every_key_to_the_bare_tag_and_passes()
    {
        var (exit, output, _) = Run("test", "--map", R58Map, "--client-addr", "198.51.100.9", "--client-name", "mail.other.example");

        Assert.Equal(0, exit);
        Assert.Equal(
            [
                "     TLS_Clt:mail.other.example",
                "     TLS_Clt:other.example",
                "     TLS_Clt:example",
                "     TLS_Clt:198.51.100.9",
                "     TLS_Clt:198.51.100",
                "     TLS_Clt:198.51",
                "     TLS_Clt:198",
                "     TLS_Clt:",
                "     (no key matched)",
            ],
            Hook(output, "tls_client (MAIL)")[..^1]);
        Assert.StartsWith("  verdict: pass  (", Hook(output, "tls_client (MAIL)")[^1], StringComparison.Ordinal);
        Assert.Equal(
            [
                "     Connect:mail.other.example",
                "     mail.other.example",
                "     Connect:other.example",
                "     other.example",
                "     Connect:example",
                "     example",
                "     Connect:198.51.100.9",
                "     198.51.100.9",
                "     Connect:198.51.100",
                "     198.51.100",
                "     Connect:198.51",
                "     198.51",
                "     Connect:198",
                "     198",
                "     (no key matched)",
                "  verdict: pass  (no entry)",
            ],
            Hook(output, "Connect"));
    }

    [Fact]
    public void Relay1s_certificate_relays_through_its_issuers_SUBJECT_and_its_subjects_RELAY()
    {
        var (exit, output, _) = Run(
            "test", "--map", R62Map, "--client-addr", "192.0.2.50", "--verify", "OK", "--cipher-bits", "256",
            "--cert-issuer", ExampleIssuer, "--cert-subject", "/C=US/O=Example+20Corp/CN=relay1.example.com", "--rcpt", "x@remote.example");

        Assert.Equal(0, exit);
        var hook = Hook(output, "To / relaying");
        Assert.Equal(
            [
                "     To:x@remote.example",
                "     x@remote.example",
                "     To:remote.example",
                "     remote.example",
                "     To:example",
                "     example",
                "     To:x@",
                "     x@",
                "     (no key matched)",
                $"  => CertIssuer:{ExampleIssuer}   \"SUBJECT\"",
                "  => CertSubject:/C=US/O=Example+20Corp/CN=relay1.example.com   \"RELAY\"",
            ],
            hook[..^1]);
        Assert.StartsWith("  verdict: RELAY  (RelayTLS: ", hook[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Relay2s_certificate_from_the_same_issuer_is_not_listed_and_relaying_is_denied()
    {
        var (exit, output, _) = Run(
            "test", "--map", R62Map, "--client-addr", "192.0.2.51", "--verify", "OK",
            "--cert-issuer", ExampleIssuer, "--cert-subject", "/C=US/O=Example+20Corp/CN=relay2.example.com", "--rcpt", "<x@remote.example>");

        Assert.Equal(0, exit);
        var hook = Hook(output, "To / relaying");
        Assert.Equal(
            [
                $"  => CertIssuer:{ExampleIssuer}   \"SUBJECT\"",
                "     CertSubject:/C=US/O=Example+20Corp/CN=relay2.example.com",
                "     (no key matched)",
                "  verdict: REJECT  550 5.7.1 <x@remote.example>... Relaying denied  (RelayTLS: issuer says SUBJECT, subject not listed)",
            ],
            hook[^4..]);
    }

    [Theory]
    [InlineData("OK", "  verdict: RELAY  (RelayTLS: CertIssuer:/C=US/O=Partner/CN=Partner+20CA RELAY)")]
    [InlineData("FAIL", "  verdict: REJECT  550 5.7.1 <x@remote.example>... Relaying denied  (RelayTLS: {verify}=FAIL, no decision)")]
    public void A_partner_certificate_relays_only_when_verified(string verify, string verdict)
    {
        var (exit, output, _) = Run(
            "test", "--map", R62Map, "--client-addr", "203.0.113.4", "--verify", verify,
            "--cert-issuer", PartnerIssuer, "--cert-subject", "/O=Partner/CN=anything.partner.example", "--rcpt", "x@remote.example");

        Assert.Equal(0, exit);
        Assert.Equal(verdict, Hook(output, "To / relaying")[^1]);
    }

    [Theory]
    [InlineData("OK", "{client_name}=mx.example.org", "550 5.7.1 <x@remote.example>... Relaying denied")]
    [InlineData("FORGED", "{client_name}=[192.0.2.51]", "550 5.7.1 <x@remote.example>... Relaying denied. IP name possibly forged mx.example.org")]
    public void A_PTR_name_is_client_name_only_when_confirmed_and_words_the_relay_refusal(string resolve, string clientName, string reply)
    {
        var (exit, output, _) = Run(
            "test", "--map", R62Map, "--client-addr", "192.0.2.51", "--client-name", "mx.example.org", "--client-resolve", resolve, "--rcpt", "x@remote.example");

        Assert.Equal(0, exit);
        Assert.Contains($"{clientName} {{client_addr}}=192.0.2.51 {{client_resolve}}={resolve},", output, StringComparison.Ordinal);
        Assert.StartsWith($"  verdict: REJECT  {reply}  (", Hook(output, "To / relaying")[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FAIL", "550 5.7.1 <x@remote.example>... Relaying denied. IP name lookup failed [192.0.2.51]")]
    [InlineData("TEMP", "450 4.4.0 <x@remote.example>... Relaying temporarily denied. Cannot resolve PTR record for 192.0.2.51")]
    public void A_client_without_a_usable_name_gets_sendmails_relay_refusal_for_its_lookup(string resolve, string reply)
    {
        var (exit, output, _) = Run("test", "--map", R62Map, "--client-addr", "192.0.2.51", "--client-resolve", resolve, "--rcpt", "x@remote.example");

        Assert.Equal(0, exit);
        Assert.StartsWith($"  verdict: REJECT  {reply}  (", Hook(output, "To / relaying")[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_recipient_needs_no_relaying()
    {
        var (exit, output, _) = Run("test", "--map", R62Map, "--client-addr", "192.0.2.7", "--from", "<>", "--rcpt", "postmaster@localhost");

        Assert.Equal(0, exit);
        Assert.Equal(["     From:<>", "     <>", "     (no key matched)", "  verdict: pass  (no entry)"], Hook(output, "From"));
        Assert.Equal("  verdict: pass  (local domain)", Hook(output, "To / relaying")[^1]);
    }

    [Fact]
    public void Json_output_has_the_hooks_with_their_lookups_keys_tried_and_the_match()
    {
        var (exit, output, _) = Run(
            "test", "--map", R58Map, "--client-addr", "192.0.2.7", "--client-name", "pc7.laptops.example.com", "--verify", "NO", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(_maps.PathOf("r58"), root.GetProperty("mapFile").GetString());
        Assert.Equal(4, root.GetProperty("entries").GetInt32());
        Assert.Equal("sendmail", root.GetProperty("replyCodes").GetString());
        // tls_client refused after the handshake: restricted mode (R10), so the server answers MAIL without asking the map.
        Assert.Equal(
            ["Connect", "Srv_Features", "tls_client (STARTTLS)", "MAIL"],
            root.GetProperty("hooks").EnumerateArray().Select(h => h.GetProperty("name").GetString()));
        var mail = root.GetProperty("hooks")[3];
        Assert.Equal(("not asked", "503 5.7.0 not authenticated"), (mail.GetProperty("verdict").GetString(), mail.GetProperty("reply").GetString()));
        var tls = root.GetProperty("hooks")[2];
        var lookup = Assert.Single(tls.GetProperty("lookups").EnumerateArray());
        Assert.Equal(
            ["TLS_Clt:pc7.laptops.example.com", "TLS_Clt:laptops.example.com"],
            lookup.GetProperty("tried").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("TLS_Clt:laptops.example.com", lookup.GetProperty("matched").GetString());
        Assert.Equal("PERM+VERIFY:112", lookup.GetProperty("value").GetString());
        Assert.Equal("REJECT", tls.GetProperty("verdict").GetString());
        Assert.Equal("503 5.7.0 not authenticated", tls.GetProperty("reply").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("hooks")[0].GetProperty("lookups")[0].GetProperty("matched").ValueKind);
    }

    [Theory]
    [InlineData("sendmail", "503 5.7.0", "403 4.7.0", "454 4.7.0")]
    [InlineData("sendmail-perm-err", "503 5.7.0", "403 4.7.0", "554 5.7.0")]
    [InlineData("rfc", "554 5.7.0", "454 4.7.0", "454 4.7.0")]
    public void Access_ReplyCodes_in_the_config_chooses_the_PERM_TEMP_and_default_codes(string style, string perm, string temp, string plain)
    {
        var map = _maps.Write("codes", "TLS_Clt:laptops.example.com PERM+VERIFY:112\nTLS_Clt:10.1 TEMP+ENCR:128\nTLS_Clt:192.0.2 VERIFY\n");
        var config = _maps.Write("gateway.json", JsonSerializer.Serialize(new { Access = new { MapFile = map, ReplyCodes = style } }));

        var laptop = Run("test", "--config", config, "--client-addr", "192.0.2.7", "--client-name", "pc7.laptops.example.com", "--verify", "NO");
        var net10 = Run("test", "--config", config, "--client-addr", "10.1.4.5");
        var other = Run("test", "--config", config, "--client-addr", "192.0.2.9", "--verify", "NO");

        Assert.Contains($"access map {map} (3 entries), reply codes {style}\n", laptop.Output, StringComparison.Ordinal);
        Assert.StartsWith($"  verdict: REJECT  {perm} not authenticated  (", Hook(laptop.Output, "tls_client (STARTTLS)")[^1], StringComparison.Ordinal);
        Assert.StartsWith($"  verdict: REJECT  {temp} encryption too weak 0 less than 128  (", Hook(net10.Output, "tls_client (MAIL)")[^1], StringComparison.Ordinal);
        Assert.StartsWith($"  verdict: REJECT  {plain} not authenticated  (", Hook(other.Output, "tls_client (STARTTLS)")[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_configs_subject_regex_turns_the_DN_into_the_short_key_of_R61()
    {
        var map = _maps.Write("regex", $"CertIssuer:{ExampleIssuer} SUBJECT\nCertSubject:relay1.example.com RELAY\n");
        var config = _maps.Write("gateway.json", JsonSerializer.Serialize(new { Access = new { CertRegexSubject = "-s1 /CN=([^/]*)" } }));

        var (exit, output, _) = Run(
            "test", "--config", config, "--map", map, "--client-addr", "192.0.2.50", "--verify", "OK",
            "--cert-issuer", ExampleIssuer, "--cert-subject", "/C=US/O=Example+20Corp/CN=relay1.example.com", "--rcpt", "x@remote.example");

        Assert.Equal(0, exit);
        var hook = Hook(output, "To / relaying");
        Assert.Equal("  => CertSubject:relay1.example.com   \"RELAY\"", hook[^2]);
        Assert.StartsWith("  verdict: RELAY  (", hook[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "test" }, "'--client-addr' is required")]
    [InlineData(new[] { "test", "--client-addr", "pc7.laptops.example.com" }, "--client-addr needs the client's IP address")]
    [InlineData(new[] { "test", "--client-addr", "192.0.2.7", "--bogus" }, "'--bogus'")]
    [InlineData(new[] { "test", "--client-addr", "192.0.2.7", "--cipher-bits", "lots" }, "--cipher-bits must be a whole number of bits, not 'lots'")]
    [InlineData(new[] { "test", "--client-addr", "192.0.2.7", "extra" }, "'extra'")]
    [InlineData(new[] { "test", "--client-addr", "192.0.2.7", "--client-addr", "192.0.2.8" }, "--client-addr given more than once")]
    [InlineData(new[] { "test", "--client-addr", "192.0.2.7", "--client-resolve", "MAYBE" }, "--client-resolve must be OK, FORGED, FAIL or TEMP, not 'MAYBE'")]
    [InlineData(new[] { "test", "--client-addr", "192.0.2.7", "--client-resolve", "FORGED" }, "--client-resolve OK and FORGED need --client-name")]
    [InlineData(new[] { "test", "--client-addr", "192.0.2.7", "--client-name", "a.example", "--client-resolve", "TEMP" }, "with --client-resolve FAIL or TEMP there is none")]
    public void A_bad_command_line_exits_64_naming_the_switch(string[] args, string message)
    {
        var (exit, output, error) = Run(args);

        Assert.Equal(64, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_subcommand_exits_64_with_the_usage()
    {
        var (exit, output, error) = Run("frob");

        Assert.Equal(64, exit);
        Assert.Equal("", output);
        Assert.Contains("'frob'", error, StringComparison.Ordinal);
        Assert.Contains("try 'gateway map --help'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_map_exits_78_naming_the_file_and_the_line()
    {
        var map = _maps.Write("broken", "TLS_Clt:laptops.example.com PERM+VERIFY:112\nTLS_Clt:x VERIFY:abc\n");

        var (exit, output, error) = Run("test", "--map", map, "--client-addr", "192.0.2.7");

        Assert.Equal(78, exit);
        Assert.Equal("", output);
        Assert.Contains($"{map}, line 2: TLS_Clt:x: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_map_others_can_write_exits_78_as_unsafe()
    {
        var map = R58Map;
        File.SetUnixFileMode(map, MapDirectory.SafeFile | UnixFileMode.OtherWrite);

        var (exit, _, error) = Run("test", "--map", map, "--client-addr", "192.0.2.7");

        Assert.Equal(78, exit);
        Assert.Contains($"file {map} unsafe: World writable file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_map_or_config_exits_78_naming_it()
    {
        var missingMap = Run("test", "--map", _maps.PathOf("nope"), "--client-addr", "192.0.2.7");
        var missingConfig = Run("test", "--config", _maps.PathOf("nope.json"), "--client-addr", "192.0.2.7");

        Assert.Equal(78, missingMap.Exit);
        Assert.Contains($"{_maps.PathOf("nope")}: no such file", missingMap.Error, StringComparison.Ordinal);
        Assert.Equal(78, missingConfig.Exit);
        Assert.Contains(_maps.PathOf("nope.json"), missingConfig.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_Access_setting_in_the_config_exits_78_naming_the_key()
    {
        var config = _maps.Write("gateway.json", """{ "Access": { "CertRegexIssuer": "-s9 /CN=(x)" } }""");

        var (exit, _, error) = Run("test", "--config", config, "--map", R58Map, "--client-addr", "192.0.2.7");

        Assert.Equal(78, exit);
        Assert.Contains("Access:CertRegexIssuer", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("help")]
    [InlineData("--help")]
    public void Map_without_a_subcommand_prints_the_usage_and_exits_0(string argument)
    {
        var (exit, output, error) = Run(argument.Length == 0 ? [] : [argument]);

        Assert.Equal(0, exit);
        Assert.Equal(Run("--help").Output, output);
        Assert.Contains("gateway map [command] [options]", output, StringComparison.Ordinal);
        Assert.Matches(@"test\s+" + System.Text.RegularExpressions.Regex.Escape(MapTestSwitches.TestDescription), output);
        Assert.Matches(@"push <FILE>\s+Publish an access map", output);
        Assert.Equal("", error);
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = GatewayCommandLine.InvokeAsync(["map", .. args], new CommandLineConsole(output, error)).GetAwaiter().GetResult();
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The lines printed under one hook's heading, up to the blank line that ends it (the heading excluded).</summary>
    private static string[] Hook(string output, string name)
    {
        var lines = output.Split('\n');
        var start = Array.IndexOf(lines, name);
        Assert.True(start >= 0, $"no hook '{name}' in:\n{output}");
        return [.. lines.Skip(start + 1).TakeWhile(l => l.Length > 0)];
    }
}
