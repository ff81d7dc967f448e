using Gateway.Protocol.Commands;
using Gateway.Protocol.Mail;

namespace Gateway.Protocol.Tests.Commands;

public class PathParserTests
{
    [Fact]
    public void A_path_yields_its_local_part_and_domain()
    {
        var ok = PathParser.TryParse("<a.b+c@mail.example.org>", out var mailbox, out _);

        Assert.True(ok);
        Assert.Equal(new Mailbox("a.b+c", "mail.example.org"), mailbox);
    }

    [Theory]
    [InlineData("a@example.org")]
    [InlineData("<a@example.org")]
    [InlineData("a@example.org>")]
    [InlineData("<")]
    public void A_path_without_angle_brackets_is_refused(string path)
    {
        var ok = PathParser.TryParse(path, out _, out var why);

        Assert.False(ok);
        Assert.Equal("angle brackets required", why);
    }

    [Theory]
    [InlineData("<@x.example,@y.example:a@b.example>")]
    [InlineData("<@x.example:a@b.example>")]
    public void A_source_route_is_dropped(string path)
    {
        var ok = PathParser.TryParse(path, out var mailbox, out _);

        Assert.True(ok);
        Assert.Equal(new Mailbox("a", "b.example"), mailbox);
    }

    [Theory]
    [InlineData("<@:a@b.example>")]
    [InlineData("<@x.example,y.example:a@b.example>")]
    [InlineData("<@x.example,:a@b.example>")]
    [InlineData("<@x.example a@b.example>")]
    public void A_malformed_source_route_is_refused(string path)
    {
        var ok = PathParser.TryParse(path, out _, out var why);

        Assert.False(ok);
        Assert.Equal("bad source route", why);
    }

    [Theory]
    [InlineData("<\"a b\"@x.example>", "\"a b\"")]
    [InlineData("<\"a>b\"@x.example>", "\"a>b\"")]
    [InlineData("<\"a@b\"@x.example>", "\"a@b\"")]
    [InlineData("<\"a\\\"b\"@x.example>", "\"a\\\"b\"")]
    [InlineData("<\"\"@x.example>", "\"\"")]
    public void A_quoted_local_part_is_kept_as_written(string path, string localPart)
    {
        var ok = PathParser.TryParse(path, out var mailbox, out _);

        Assert.True(ok);
        Assert.Equal(new Mailbox(localPart, "x.example"), mailbox);
    }

    [Theory]
    [InlineData("<\"a\"b@x.example>")]
    [InlineData("<\"a@x.example>")]
    [InlineData("<\"a\\\"@x.example>")]
    [InlineData("<a b@x.example>")]
    [InlineData("<.a@x.example>")]
    [InlineData("<a.@x.example>")]
    [InlineData("<a..b@x.example>")]
    [InlineData("<a(b)@x.example>")]
    [InlineData("<@x.example>")]
    public void A_malformed_local_part_is_refused(string path)
    {
        var ok = PathParser.TryParse(path, out _, out _);

        Assert.False(ok);
    }

    [Fact]
    public void A_local_part_of_64_octets_is_accepted()
    {
        var ok = PathParser.TryParse($"<{new string('a', 64)}@x.example>", out _, out _);

        Assert.True(ok);
    }

    [Fact]
    public void A_local_part_of_65_octets_is_refused()
    {
        var ok = PathParser.TryParse($"<{new string('a', 65)}@x.example>", out _, out var why);

        Assert.False(ok);
        Assert.Equal("local part too long", why);
    }

    [Fact]
    public void A_local_part_of_33_two_octet_characters_is_refused()
    {
        var ok = PathParser.TryParse($"<{new string('é', 33)}@x.example>", out _, out var why);

        Assert.False(ok);
        Assert.Equal("local part too long", why);
    }

    [Fact]
    public void A_path_of_256_octets_is_accepted()
    {
        var path = $"<{new string('a', 64)}@{new string('b', 63)}.{new string('c', 63)}.{new string('d', 61)}>";

        var ok = PathParser.TryParse(path, out _, out _);

        Assert.Equal(256, path.Length);
        Assert.True(ok);
    }

    [Fact]
    public void A_path_of_257_octets_is_refused()
    {
        var path = $"<{new string('a', 64)}@{new string('b', 63)}.{new string('c', 63)}.{new string('d', 62)}>";

        var ok = PathParser.TryParse(path, out _, out var why);

        Assert.Equal(257, path.Length);
        Assert.False(ok);
        Assert.Equal("path too long", why);
    }

    [Theory]
    [InlineData("<a@[1.2.3.4]>", "[1.2.3.4]")]
    [InlineData("<a@[255.255.255.255]>", "[255.255.255.255]")]
    [InlineData("<a@[IPv6:::1]>", "[IPv6:::1]")]
    [InlineData("<a@[ipv6:2001:db8::7]>", "[ipv6:2001:db8::7]")]
    public void An_address_literal_is_a_domain(string path, string domain)
    {
        var ok = PathParser.TryParse(path, out var mailbox, out _);

        Assert.True(ok);
        Assert.Equal(domain, mailbox.Domain);
    }

    [Theory]
    [InlineData("<a@[1.2.3]>")]
    [InlineData("<a@[1.2.3.4.5]>")]
    [InlineData("<a@[256.1.1.1]>")]
    [InlineData("<a@[1.2.3.x]>")]
    [InlineData("<a@[1.2.3.4>")]
    [InlineData("<a@[]>")]
    [InlineData("<a@[IPv6:1.2.3.4]>")]
    [InlineData("<a@[IPv6:zz::1]>")]
    public void A_malformed_address_literal_is_refused(string path)
    {
        var ok = PathParser.TryParse(path, out _, out var why);

        Assert.False(ok);
        Assert.Equal("bad domain", why);
    }

    [Theory]
    [InlineData("<a@-x.example>")]
    [InlineData("<a@x-.example>")]
    [InlineData("<a@x..example>")]
    [InlineData("<a@x_y.example>")]
    [InlineData("<a@x.example.>")]
    public void A_malformed_domain_is_refused(string path)
    {
        var ok = PathParser.TryParse(path, out _, out var why);

        Assert.False(ok);
        Assert.Equal("bad domain", why);
    }

    [Fact]
    public void A_domain_label_of_63_octets_is_accepted_and_64_refused()
    {
        var ok63 = PathParser.IsDomain(new string('x', 63) + ".example");
        var ok64 = PathParser.IsDomain(new string('x', 64) + ".example");

        Assert.True(ok63);
        Assert.False(ok64);
    }

    [Fact]
    public void A_utf8_mailbox_is_international()
    {
        var ok = PathParser.TryParse("<josé@exämple.org>", out var mailbox, out _);

        Assert.True(ok);
        Assert.True(mailbox.IsInternational);
    }

    [Fact]
    public void An_ascii_mailbox_is_not_international()
    {
        var ok = PathParser.TryParse("<jose@example.org>", out var mailbox, out _);

        Assert.True(ok);
        Assert.False(mailbox.IsInternational);
    }
}
