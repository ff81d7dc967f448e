using System.Text;
using Gateway.Protocol.Tls;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// SPEC R44 "+HEX": the encoded form holds only bytes R44 lets through plus "+HH" with uppercase hex (R45),
/// decoding it gives the raw bytes back, the string overload agrees with the byte one, and the decoder (for
/// logs) takes any string without throwing.
/// </summary>
public sealed class HexQuotingFuzzTests
{
    private static readonly byte[] Dn = Encoding.Latin1.GetBytes("/C=US/O=Acme <Test> \"Mail\"/CN=darth\\+cert@endmail.org");

    [Fact]
    public void Encoding_round_trips_and_uses_only_allowed_characters() =>
        FuzzRun.Check(nameof(HexQuotingFuzzTests), 10_000, random =>
        {
            var raw = random.OneIn(4) ? random.Bytes(random.Size(300)) : Mutate.Bytes(random, Dn, maxLength: 1024);

            var encoded = HexQuoting.Encode(raw);

            for (var i = 0; i < encoded.Length; i++)
            {
                var c = encoded[i];
                if (c == '+')
                {
                    Assert.True(IsUpperHex(encoded, i + 1) && IsUpperHex(encoded, i + 2), encoded);
                    i += 2;
                }
                else
                {
                    Assert.True(c is >= '!' and <= '~' and not ('\\' or '(' or ')' or '<' or '>' or '"'), $"'{c}' in {encoded}");
                }
            }

            Assert.Equal(Encoding.Latin1.GetString(raw), HexQuoting.Decode(encoded));
            Assert.Equal(encoded, HexQuoting.Encode(Encoding.Latin1.GetString(raw)));
            Assert.Equal(encoded, HexQuoting.Encode(HexQuoting.Decode(encoded)));

            var hostile = Encoding.Latin1.GetString(Mutate.Bytes(random, Encoding.Latin1.GetBytes(encoded.ToLowerInvariant()), maxLength: 1024));
            Assert.True(HexQuoting.Decode(hostile).Length <= hostile.Length);
        });

    private static bool IsUpperHex(string text, int at) => at < text.Length && text[at] is (>= '0' and <= '9') or (>= 'A' and <= 'F');
}
