using Gateway.Protocol.Access;

namespace Gateway.Protocol.Tests.Access;

public class AccessMapParseTests
{
    [Fact]
    public void Comments_blank_lines_crlf_and_tabs_are_read_like_makemap()
    {
        var text = "# inbound\r\n\r\n   \r\nTLS_Clt:laptops.example.com\tPERM+VERIFY:112\r\n\t# indented comment\r\nSrv_Features:   V\r\n";

        var map = AccessMap.Parse(text, "access");

        Assert.Equal(2, map.Count);
        Assert.Equal("PERM+VERIFY:112", map.Find("TLS_Clt:laptops.example.com"));
        Assert.Equal("V", map.Find("Srv_Features:"));
    }

    [Fact]
    public void A_value_keeps_its_inner_blanks_and_quotes_exactly()
    {
        var map = AccessMap.Parse("Connect:spam.example \t ERROR:\"550 5.7.1 Go  away\"  \n", "access");

        Assert.Equal("ERROR:\"550 5.7.1 Go  away\"", map.Find("Connect:spam.example"));
    }

    [Fact]
    public void R50_keys_match_in_any_case_and_values_come_back_as_written()
    {
        var map = AccessMap.Parse("CertIssuer:/C=US/O=Partner/CN=Partner+20CA Relay\nTLS_Srv:MX.Example.NET VERIFY+CN:MX.Example.NET\n", "access");

        Assert.Equal("Relay", map.Find("CERTISSUER:/c=us/o=partner/cn=partner+20ca"));
        Assert.Equal("VERIFY+CN:MX.Example.NET", map.Find("tls_srv:mx.example.net"));
        Assert.Null(map.Find("TLS_Srv:example.net"));
    }

    [Fact]
    public void An_empty_text_is_an_empty_map()
    {
        var map = AccessMap.Parse("", "access");

        Assert.Equal(0, map.Count);
    }

    [Theory]
    [InlineData("example.com REJECT")]
    [InlineData("10.1.2 RELAY")]
    [InlineData("user@example.com DISCARD")]
    [InlineData("IPv6:2001:db8::1 REJECT")]
    public void An_untagged_key_with_a_classic_value_is_accepted(string line)
    {
        var map = AccessMap.Parse(line + "\n", "access");

        Assert.Equal(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..], map.Find(line[..line.IndexOf(' ', StringComparison.Ordinal)]));
    }

    [Theory]
    [InlineData("BankCA:/C=DE/O=Bank+20CA/CN=Bank+20Root OK")]
    [InlineData("Try_TLS:broken.example NO")]
    [InlineData("Clt_Features:mx.example.net D")]
    [InlineData("TLS_Clt_Features:mx.example.net Options=+ServerPreference;")]
    public void Tags_whose_values_are_free_are_not_checked(string line)
    {
        var map = AccessMap.Parse(line, "access");

        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void A_key_without_a_value_is_an_error_naming_the_file_and_the_line()
    {
        var error = Assert.Throws<AccessMapError>(() => AccessMap.Parse("# x\nConnect:a.example OK\nTLS_Clt:b.example\n", "/etc/mail/access"));

        Assert.Equal("/etc/mail/access", error.File);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("/etc/mail/access, line 3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("TLS_Clt:b.example", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_differing_only_in_case_is_an_error_naming_the_first_line()
    {
        var text = "# x\nTLS_Clt:example.com VERIFY\n\nTLS_CLT:Example.COM ENCR:128\n";

        var error = Assert.Throws<AccessMapError>(() => AccessMap.Parse(text, "access"));

        Assert.Equal(4, error.Line);
        Assert.Contains("first on line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nul_character_is_an_error()
    {
        var error = Assert.Throws<AccessMapError>(() => AccessMap.Parse("Connect:a.example OK\nConnect:b\0.example REJECT\n", "access"));

        Assert.Equal(2, error.Line);
        Assert.Equal("access, line 2: NUL character", error.Message);
    }

    [Fact]
    public void A_line_of_the_maximum_length_is_read()
    {
        var key = "Connect:" + new string('a', AccessMap.MaxLineLength - "Connect: OK".Length);

        var map = AccessMap.Parse($"{key} OK\r\n", "access");

        Assert.Equal("OK", map.Find(key));
    }

    [Fact]
    public void A_longer_line_is_an_error()
    {
        var key = "Connect:" + new string('a', AccessMap.MaxLineLength - "Connect: OK".Length + 1);

        var error = Assert.Throws<AccessMapError>(() => AccessMap.Parse($"# x\n{key} OK\n", "access"));

        Assert.Equal(2, error.Line);
        Assert.Equal($"access, line 2: line longer than {AccessMap.MaxLineLength} characters", error.Message);
    }

    [Theory]
    [InlineData("TLS_Clt:a.example VERIFY:abc")]
    [InlineData("TLS_Clt:a.example ENCR")]
    [InlineData("TLS_Srv:a.example VERIFY+XX:y")]
    [InlineData("TLS_Rcpt:a@example.org PERM+OK")]
    [InlineData("Srv_Features:a.example v q")]
    [InlineData("CertIssuer:/C=US/O=Partner/CN=Partner+20CA OK")]
    [InlineData("CertSubject:/C=US/CN=relay1.example.com SUBJECT")]
    [InlineData("Connect:a.example ALLOW")]
    [InlineData("From:a@example.org ERROR:Go away")]
    [InlineData("To:example.org ERROR:\"550 4.7.1 mixed classes\"")]
    [InlineData("example.org PERMIT")]
    public void A_value_its_tag_cannot_hold_is_an_error_naming_the_line(string line)
    {
        var error = Assert.Throws<AccessMapError>(() => AccessMap.Parse($"Connect:ok.example OK\n{line}\n", "access"));

        Assert.Equal(2, error.Line);
        Assert.Contains(line[..line.IndexOf(' ', StringComparison.Ordinal)], error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void R58_example_a_parses_as_written()
    {
        var map = AccessMap.Parse(
            """
            TLS_Clt:laptops.example.com   PERM+VERIFY:112
            TLS_Clt:10.1                  ENCR:128
            Srv_Features:laptops.example.com   v
            Srv_Features:                      V
            """,
            "access");

        Assert.Equal(4, map.Count);
        Assert.Equal("ENCR:128", map.Find("TLS_Clt:10.1"));
        Assert.Equal("v", map.Find("srv_features:LAPTOPS.example.com"));
    }
}
