using System.Text;
using Gateway.Protocol.Tls;

namespace Gateway.Protocol.Tests.Tls;

public class HexQuotingTests
{
    // SPEC R44 test vectors, rows 1–9 (row 3's input is the R42 rendering, "\x" escapes included).
    [Theory]
    [InlineData(
        "/C=US/ST=California/O=endmail.org/OU=private/CN=Darth Mail (Cert)/emailAddress=darth+cert@endmail.org",
        "/C=US/ST=California/O=endmail.org/OU=private/CN=Darth+20Mail+20+28Cert+29/emailAddress=darth+2Bcert@endmail.org")]
    [InlineData(
        "/C=US/ST=California/O=endmail.org/OU=private/CN=Darth Mail (Cert)/emailAddress=darth\\+cert@endmail.org",
        "/C=US/ST=California/O=endmail.org/OU=private/CN=Darth+20Mail+20+28Cert+29/emailAddress=darth+5C+2Bcert@endmail.org")]
    [InlineData(
        "/C=DE/O=M\\xC3\\xBCller GmbH/CN=mx1.example.de",
        "/C=DE/O=M+5CxC3+5CxBCller+20GmbH/CN=mx1.example.de")]
    [InlineData(
        "/C=US/O=Acme <Test> \"Mail\"/CN=smtp.endmail.org",
        "/C=US/O=Acme+20+3CTest+3E+20+22Mail+22/CN=smtp.endmail.org")]
    [InlineData("a\\b", "a+5Cb")]
    [InlineData("tab\there", "tab+09here")]
    [InlineData("", "")]
    [InlineData("x=y/z@w", "x=y/z@w")]
    public void R44_vectors_encode_exactly(string raw, string encoded)
    {
        var result = HexQuoting.Encode(raw);

        Assert.Equal(encoded, result);
    }

    [Fact]
    public void R44_row_4_a_utf8_cn_is_encoded_byte_by_byte()
    {
        var result = HexQuoting.Encode(Encoding.UTF8.GetBytes("Müller"));

        Assert.Equal("M+C3+BCller", result);
    }

    [Fact]
    public void Every_byte_below_0x21_or_above_0x7E_and_the_seven_specials_become_uppercase_hex()
    {
        var all = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();

        var encoded = HexQuoting.Encode(all);

        var expected = new StringBuilder();
        foreach (var b in all)
        {
            var quoted = b is < 0x21 or > 0x7E || "+\\()<>\"".Contains((char)b, StringComparison.Ordinal);
            expected.Append(quoted ? $"+{b:X2}" : ((char)b).ToString());
        }

        Assert.Equal(expected.ToString(), encoded);
    }

    [Theory]
    [InlineData("=/@,:.-_'", "=/@,:.-_'")]
    [InlineData("a+b", "a+2Bb")]
    [InlineData("(x)", "+28x+29")]
    [InlineData("a b", "a+20b")]
    [InlineData("\u007f", "+7F")]
    public void It_is_not_xtext_so_equals_stays_and_space_and_parentheses_are_quoted(string raw, string encoded)
    {
        var result = HexQuoting.Encode(raw);

        Assert.Equal(encoded, result);
    }

    [Fact]
    public void A_string_of_byte_chars_encodes_like_its_bytes()
    {
        var bytes = new byte[] { 0x4D, 0xC3, 0xBC, 0x00, 0xFF };

        var fromString = HexQuoting.Encode(Encoding.Latin1.GetString(bytes));

        Assert.Equal(HexQuoting.Encode(bytes), fromString);
        Assert.Equal("M+C3+BC+00+FF", fromString);
    }

    [Fact]
    public void A_char_above_0xFF_is_taken_as_its_utf8_bytes_rather_than_lost()
    {
        var result = HexQuoting.Encode("€");

        Assert.Equal("+E2+82+AC", result);
    }

    [Theory]
    [InlineData("/C=US/O=Relay+20Trust/CN=Relay+20Trust+20CA", "/C=US/O=Relay Trust/CN=Relay Trust CA")]
    [InlineData("a+5Cb", "a\\b")]
    [InlineData("M+c3+bcller", "M\u00c3\u00bcller")]
    [InlineData("a+2", "a+2")]
    [InlineData("a+zz", "a+zz")]
    [InlineData("", "")]
    public void Decoding_turns_hex_pairs_back_into_bytes_and_leaves_the_rest(string encoded, string decoded)
    {
        var result = HexQuoting.Decode(encoded);

        Assert.Equal(decoded, result);
    }

    [Fact]
    public void Decoding_undoes_encoding_for_every_byte()
    {
        var raw = Encoding.Latin1.GetString(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray());

        var roundTrip = HexQuoting.Decode(HexQuoting.Encode(raw));

        Assert.Equal(raw, roundTrip);
    }
}
