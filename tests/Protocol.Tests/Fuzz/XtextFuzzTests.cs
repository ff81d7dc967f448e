using System.Text;
using Gateway.Protocol.Commands;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// RFC 3461 §4 xtext: whatever a client encodes by the RFC's rule is valid and decodes back to what it encoded,
/// and neither the check nor the decoder throws on any string a client can send.
/// </summary>
public sealed class XtextFuzzTests
{
    [Fact]
    public void Encoded_bytes_are_valid_xtext_and_decode_back_and_any_text_is_checked_without_throwing() =>
        FuzzRun.Check(nameof(XtextFuzzTests), 20_000, random =>
        {
            var raw = Mutate.Bytes(random, Encoding.ASCII.GetBytes("rfc822;user+tag=x@example.org"), maxLength: 600);

            var encoded = Encode(raw);

            Assert.True(Xtext.IsValid(encoded), encoded);
            Assert.Equal(Encoding.Latin1.GetString(raw), Xtext.Decode(encoded));

            // Hostile text: a mutated encoding, lower-case hex, a '+' at the very end.
            var hostile = Encoding.Latin1.GetString(Mutate.Bytes(random, Encoding.Latin1.GetBytes(encoded), maxLength: 600));
            var valid = Xtext.IsValid(hostile);
            var decoded = Xtext.Decode(hostile);
            Assert.True(!valid || decoded.Length <= hostile.Length, "decoding valid xtext made it longer");
        });

    /// <summary>RFC 3461 §4's encoder, written from the RFC independently of the parser: xchar is "!" to "~" except "+" and "=".</summary>
    private static string Encode(byte[] raw)
    {
        var text = new StringBuilder(raw.Length * 3);
        foreach (var b in raw)
        {
            if (b is >= (byte)'!' and <= (byte)'~' and not (byte)'+' and not (byte)'=')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('+').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
