using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using static Gateway.Protocol.Tests.Tls.Names;

namespace Gateway.Protocol.Tests.Tls;

public class DnRendererTests
{
    private static readonly X509Name Darth = OpenSslStyle(
        (X509Name.C, "US"), (X509Name.ST, "California"), (X509Name.O, "endmail.org"), (X509Name.OU, "private"),
        (X509Name.CN, "Darth Mail (Cert)"), (Email, "darth+cert@endmail.org"));

    public static TheoryData<string, X509Name, string> Section17Keys => new()
    {
        {
            "plain",
            OpenSslStyle((X509Name.C, "US"), (X509Name.O, "Relay Trust"), (X509Name.CN, "Relay Trust CA")),
            "/C=US/O=Relay+20Trust/CN=Relay+20Trust+20CA"
        },
        {
            "quote and plus",
            OpenSslStyle((X509Name.C, "US"), (X509Name.O, "Quote\"Plus+Corp"), (X509Name.CN, "odd<name>.example")),
            "/C=US/O=Quote+22Plus+5C+2BCorp/CN=odd+3Cname+3E.example"
        },
        {
            "slash in a value",
            OpenSslStyle((X509Name.C, "US"), (X509Name.O, "Example Corp/CN=relay1.example.com")),
            "/C=US/O=Example+20Corp+5C/CN=relay1.example.com"
        },
        {
            "multi-valued RDN",
            Of([Printable(X509Name.C, "US")], [Utf8(X509Name.O, "Acme"), Utf8(X509Name.OU, "Mail")], [Utf8(X509Name.CN, "mv.example")]),
            "/C=US/O=Acme+2BOU=Mail/CN=mv.example"
        },
        {
            "UTF-8",
            OpenSslStyle((X509Name.C, "DE"), (X509Name.O, "Müller GmbH"), (X509Name.CN, "mx1.example.de")),
            "/C=DE/O=M+5CxC3+5CxBCller+20GmbH/CN=mx1.example.de"
        },
    };

    [Theory]
    [MemberData(nameof(Section17Keys))]
    public void Section_17_keys_seen_with_real_sendmail_are_reproduced_from_certificates(string why, X509Name name, string key)
    {
        var certificate = Certificates.Issue(name, name);

        var subject = HexQuoting.Encode(DnRenderer.Subject(certificate, DnFormat.OpenSsl3));
        var issuer = HexQuoting.Encode(DnRenderer.Issuer(certificate, DnFormat.OpenSsl3));

        Assert.True(key == subject, why);
        Assert.Equal(key, issuer);
    }

    [Fact]
    public void R44_row_1_is_the_legacy_rendering_of_the_darth_certificate()
    {
        var certificate = Certificates.Issue(Darth, Darth);

        var line = DnRenderer.Subject(certificate, DnFormat.Legacy);

        Assert.Equal(
            "/C=US/ST=California/O=endmail.org/OU=private/CN=Darth Mail (Cert)/emailAddress=darth+cert@endmail.org", line);
    }

    [Fact]
    public void R44_row_2_is_the_openssl3_rendering_of_the_same_certificate()
    {
        var certificate = Certificates.Issue(Darth, Darth);

        var line = DnRenderer.Subject(certificate, DnFormat.OpenSsl3);

        Assert.Equal(
            "/C=US/ST=California/O=endmail.org/OU=private/CN=Darth Mail (Cert)/emailAddress=darth\\+cert@endmail.org", line);
    }

    [Fact]
    public void Legacy_starts_every_ava_of_a_multi_valued_rdn_with_a_slash_and_escapes_nothing()
    {
        var name = Of([Printable(X509Name.C, "US")], [Utf8(X509Name.O, "Acme+1"), Utf8(X509Name.OU, "Mail/2")]);

        var legacy = DnRenderer.OneLine(name, DnFormat.Legacy);
        var openSsl3 = DnRenderer.OneLine(name, DnFormat.OpenSsl3);

        Assert.Equal("/C=US/O=Acme+1/OU=Mail/2", legacy);
        Assert.Equal("/C=US/O=Acme\\+1+OU=Mail\\/2", openSsl3);
    }

    [Fact]
    public void R86_in_legacy_a_slash_in_o_renders_like_a_separate_cn_and_openssl3_tells_them_apart()
    {
        var spoof = OpenSslStyle((X509Name.C, "US"), (X509Name.O, "Example Corp/CN=relay1.example.com"));
        var real = OpenSslStyle((X509Name.C, "US"), (X509Name.O, "Example Corp"), (X509Name.CN, "relay1.example.com"));

        Assert.Equal(DnRenderer.OneLine(real, DnFormat.Legacy), DnRenderer.OneLine(spoof, DnFormat.Legacy));
        Assert.NotEqual(DnRenderer.OneLine(real, DnFormat.OpenSsl3), DnRenderer.OneLine(spoof, DnFormat.OpenSsl3));
        Assert.Equal("/C=US/O=Example+20Corp/CN=relay1.example.com", HexQuoting.Encode(DnRenderer.OneLine(spoof, DnFormat.Legacy)));
    }

    [Fact]
    public void Avas_come_out_in_encoded_order_not_reversed_as_rfc_4514_would()
    {
        var name = OpenSslStyle((X509Name.CN, "first"), (X509Name.O, "second"), (X509Name.C, "ZZ"));

        var line = DnRenderer.OneLine(name, DnFormat.OpenSsl3);

        Assert.Equal("/CN=first/O=second/C=ZZ", line);
    }

    [Fact]
    public void A_multi_valued_rdn_keeps_the_order_of_its_encoding()
    {
        var name = Of([Utf8(X509Name.OU, "Mail"), Utf8(X509Name.O, "Acme")]);

        var line = DnRenderer.OneLine(name, DnFormat.OpenSsl3);

        Assert.Equal("/OU=Mail+O=Acme", line);
    }

    [Fact]
    public void A_bmp_string_gives_both_bytes_of_every_unit()
    {
        var name = Flat(Bmp(X509Name.O, "Bmp Ü"), Bmp(X509Name.CN, "a.b"));

        var line = DnRenderer.OneLine(name, DnFormat.OpenSsl3);

        Assert.Equal("/O=\\x00B\\x00m\\x00p\\x00 \\x00\\xDC/CN=\\x00a\\x00.\\x00b", line);
    }

    [Fact]
    public void Control_bytes_and_del_become_uppercase_backslash_x_escapes()
    {
        var name = Flat(Utf8(X509Name.O, "tab\there\u0001\u001f\u007f"), Utf8(X509Name.CN, "é"));

        var line = DnRenderer.OneLine(name, DnFormat.Legacy);

        Assert.Equal("/O=tab\\x09here\\x01\\x1F\\x7F/CN=\\xC3\\xA9", line);
    }

    [Fact]
    public void Every_special_character_reaches_the_encoded_key()
    {
        var name = Flat(Utf8(X509Name.O, "+ \" < > ( ) \\ /"), Utf8(X509Name.CN, "ü"));

        var legacy = HexQuoting.Encode(DnRenderer.OneLine(name, DnFormat.Legacy));
        var openSsl3 = HexQuoting.Encode(DnRenderer.OneLine(name, DnFormat.OpenSsl3));

        Assert.Equal("/O=+2B+20+22+20+3C+20+3E+20+28+20+29+20+5C+20//CN=+5CxC3+5CxBC", legacy);
        Assert.Equal("/O=+5C+2B+20+22+20+3C+20+3E+20+28+20+29+20+5C+20+5C//CN=+5CxC3+5CxBC", openSsl3);
    }

    [Fact]
    public void Openssl_short_names_are_used_and_an_unnamed_oid_is_dotted()
    {
        var name = Flat(
            Ia5(Email, "a@b"), Utf8(X509Name.DC, "example"), Utf8(X509Name.UID, "u1"), Printable(X509Name.SerialNumber, "7"),
            Utf8(X509Name.Street, "Main St"), Utf8(X509Name.T, "Boss"), Utf8(X509Name.GivenName, "Ann"),
            Utf8(X509Name.Surname, "Lee"), Utf8(X509Name.Initials, "AL"), Utf8(X509Name.L, "Town"),
            Ava("2.5.4.97", new DerUtf8String("VATDE-1")), Ava("1.2.3.4.5", new DerUtf8String("x")));

        var line = DnRenderer.OneLine(name, DnFormat.OpenSsl3);

        Assert.Equal(
            "/emailAddress=a@b/DC=example/UID=u1/serialNumber=7/street=Main St/title=Boss/GN=Ann/SN=Lee/initials=AL"
            + "/L=Town/organizationIdentifier=VATDE-1/1.2.3.4.5=x",
            line);
    }

    [Fact]
    public void A_name_of_exactly_255_characters_is_kept_whole()
    {
        var name = Flat(Utf8(X509Name.O, new string('o', 247)), Utf8(X509Name.CN, "x"));

        var line = DnRenderer.OneLine(name, DnFormat.OpenSsl3);

        Assert.Equal(255, line.Length);
        Assert.EndsWith("/CN=x", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_ava_past_255_characters_and_all_after_it_are_dropped()
    {
        var name = Flat(Utf8(X509Name.O, new string('o', 248)), Utf8(X509Name.CN, "x"), Utf8(X509Name.C, "y"));

        var line = DnRenderer.OneLine(name, DnFormat.OpenSsl3);

        Assert.Equal("/O=" + new string('o', 248), line);
    }

    [Fact]
    public void The_length_limit_counts_escapes_and_skips_no_ava_to_fit_a_later_one()
    {
        var name = Flat(Utf8(X509Name.O, new string('/', 120)), Utf8(X509Name.OU, "abcdefghij"), Utf8(X509Name.CN, "x"));

        var openSsl3 = DnRenderer.OneLine(name, DnFormat.OpenSsl3);
        var legacy = DnRenderer.OneLine(name, DnFormat.Legacy);

        Assert.Equal(243, openSsl3.Length);
        Assert.Equal("/O=" + string.Concat(Enumerable.Repeat("\\/", 120)), openSsl3);
        Assert.EndsWith("/OU=abcdefghij/CN=x", legacy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_ava_longer_than_255_characters_leaves_the_string_empty()
    {
        var name = Flat(Utf8(X509Name.CN, new string('c', 253)));

        var line = DnRenderer.OneLine(name, DnFormat.OpenSsl3);

        Assert.Equal("", line);
    }

    [Fact]
    public void An_empty_name_renders_empty()
    {
        var line = DnRenderer.OneLine(Flat(), DnFormat.OpenSsl3);

        Assert.Equal("", line);
    }
}
