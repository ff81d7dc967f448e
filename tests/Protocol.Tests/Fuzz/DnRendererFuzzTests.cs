using System.Text;
using Gateway.Protocol.Tls;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X500;
using Org.BouncyCastle.Asn1.X509;
using static Gateway.Protocol.Tests.Tls.Names;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// SPEC R42's one-line DN: at most 255 printable ASCII characters, made of whole AVAs in encoded order (the
/// first that does not fit ends it), and in the OpenSSL 3 rendering the AVAs can be read back: split at an
/// unescaped "/" or "+", each value unescapes to its raw bytes, so a "/" in a value cannot fake an AVA (R86).
/// Also: any name BouncyCastle accepts from mutated DER is rendered without an exception, since a peer's
/// certificate chooses its own DN.
/// </summary>
public sealed class DnRendererFuzzTests
{
    private static readonly DerObjectIdentifier[] Types =
        [X509Name.C, X509Name.ST, X509Name.L, X509Name.O, X509Name.OU, X509Name.CN, Email, X509Name.DC, X509Name.SerialNumber, new("2.5.4.97"), new("1.3.6.1.4.1.99999.1")];

    private static readonly string[] Texts = ["US", "Example Corp/CN=relay1.example.com", "a+b", "Müller GmbH", "日本", "x=y", "tab\there", "\u007f\u0000", "😀", ""];

    [Fact]
    public void Any_name_renders_to_whole_printable_avas_that_read_back_in_openssl3() =>
        FuzzRun.Check(nameof(DnRendererFuzzTests), 3_000, random =>
        {
            var rdns = Enumerable.Range(0, random.Next(0, 9))
                .Select(_ => Enumerable.Range(0, random.OneIn(5) ? random.Next(2, 4) : 1).Select(_ => RandomAva(random)).ToArray())
                .ToArray();
            var name = Of([.. rdns.Select(r => r.Select(a => a.Ava).ToArray())]);

            foreach (var format in new[] { DnFormat.OpenSsl3, DnFormat.Legacy })
            {
                var line = DnRenderer.OneLine(name, format);
                Assert.InRange(line.Length, 0, DnRenderer.MaxLength);
                Assert.True(line.All(c => c is >= ' ' and <= '~'), line);
                Assert.Equal(Expected(rdns, format), line);
            }

            if (rdns.SelectMany(r => r).All(a => a.Raw is { } raw && !raw.Contains((byte)'\\')))
            {
                var line = DnRenderer.OneLine(name, DnFormat.OpenSsl3);
                var read = ReadBack(line);
                var kept = rdns.SelectMany(r => r).Take(read.Count).ToArray();
                Assert.Equal(kept.Select(a => Convert.ToHexString(a.Raw!)), read);
            }
        });

    [Fact]
    public void Names_bouncycastle_accepts_from_mutated_der_render_without_throwing() =>
        FuzzRun.Check($"{nameof(DnRendererFuzzTests)}.Der", 3_000, random =>
        {
            var rdns = Enumerable.Range(0, random.Next(1, 5)).Select(_ => new[] { RandomAva(random).Ava }).ToArray();
            var der = Mutate.Bytes(random, Of(rdns).GetEncoded(Asn1Encodable.Der), maxLength: 4096);

            X509Name? name;
            try
            {
                name = X509Name.GetInstance(Asn1Object.FromByteArray(der));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException or InvalidOperationException or FormatException or IndexOutOfRangeException or OverflowException)
            {
                return; // BouncyCastle refused the encoding: the handshake fails before any DN is rendered.
            }

            if (name is null)
            {
                return; // an ASN.1 NULL: no name at all, which a certificate cannot carry
            }

            foreach (var format in new[] { DnFormat.OpenSsl3, DnFormat.Legacy })
            {
                var line = DnRenderer.OneLine(name, format);
                Assert.InRange(line.Length, 0, DnRenderer.MaxLength);
                Assert.True(line.All(c => c is >= ' ' and <= '~'), line);
            }
        });

    /// <summary>
    /// Why the read-back property above excludes values holding a backslash: OpenSSL 3 escapes "/" and "+" but not
    /// "\", so a value ending in "\" makes the next separator look escaped. Checked with OpenSSL 3.0.19
    /// (<c>-nameopt compat</c>): CN="a\" followed by CN="x", and a single CN="a/CN=x", both print "/CN=a\/CN=x".
    /// R42 requires OpenSSL's exact string, so the renderer must agree, and R86's protection has this hole.
    /// </summary>
    [Fact]
    public void Openssl3_a_value_ending_in_a_backslash_renders_like_an_escaped_slash_as_openssl_does()
    {
        var two = Flat(Utf8(X509Name.CN, "a\\"), Utf8(X509Name.CN, "x"));
        var one = Flat(Utf8(X509Name.CN, "a/CN=x"));

        Assert.Equal("/CN=a\\/CN=x", DnRenderer.OneLine(two, DnFormat.OpenSsl3));
        Assert.Equal(DnRenderer.OneLine(one, DnFormat.OpenSsl3), DnRenderer.OneLine(two, DnFormat.OpenSsl3));
    }

    /// <summary>An AVA and its raw value bytes (SPEC R42 step 3), or null raw for a value that is not a string.</summary>
    private static (AttributeTypeAndValue Ava, byte[]? Raw) RandomAva(FuzzRandom random)
    {
        var type = random.Pick(Types);
        var text = Encoding.UTF8.GetString(Mutate.Bytes(random, Encoding.UTF8.GetBytes(random.Pick(Texts)), maxLength: 300)).Replace("\uFFFD", "?", StringComparison.Ordinal);
        var ascii = new string([.. text.Select(c => c < 0x80 ? c : '?')]);
        return random.Next(7) switch
        {
            0 => (Printable(type, ascii), Encoding.ASCII.GetBytes(ascii)),
            1 => (Ia5(type, ascii), Encoding.ASCII.GetBytes(ascii)),
            2 => (Bmp(type, text), Encoding.BigEndianUnicode.GetBytes(text)),
            3 => (Ava(type.Id, new DerT61String(Encoding.Latin1.GetBytes(ascii))), Encoding.Latin1.GetBytes(ascii)),
            4 => (Ava(type.Id, DerInteger.ValueOf(random.NextLong(long.MaxValue))), null),
            5 => (Ava(type.Id, new DerSequence(new DerUtf8String(text), new DerOctetString(random.Bytes(random.Next(4))))), null),
            _ => (Utf8(type, text), Encoding.UTF8.GetBytes(text)),
        };
    }

    /// <summary>R42 step 5 from each AVA's own rendering (a one-AVA name): whole AVAs while they fit.</summary>
    private static string Expected((AttributeTypeAndValue Ava, byte[]? Raw)[][] rdns, DnFormat format)
    {
        var line = new StringBuilder();
        foreach (var rdn in rdns)
        {
            for (var i = 0; i < rdn.Length; i++)
            {
                var alone = DnRenderer.OneLine(Flat(rdn[i].Ava), format);
                if (alone.Length == 0)
                {
                    return line.ToString(); // the AVA alone does not fit in 255 characters
                }

                var ava = format == DnFormat.OpenSsl3 && i > 0 ? "+" + alone[1..] : alone;
                if (line.Length + ava.Length > DnRenderer.MaxLength)
                {
                    return line.ToString();
                }

                line.Append(ava);
            }
        }

        return line.ToString();
    }

    /// <summary>Splits at unescaped "/" and "+" and unescapes each value (after the first "="): hex of its bytes.</summary>
    private static List<string> ReadBack(string line)
    {
        var values = new List<string>();
        List<byte>? value = null;
        var inValue = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is '/' or '+')
            {
                Flush();
                value = [];
                inValue = false;
            }
            else if (!inValue)
            {
                inValue = c == '=';
            }
            else if (c == '\\' && line[i + 1] == 'x')
            {
                value!.Add(Convert.ToByte(line.Substring(i + 2, 2), 16));
                i += 3;
            }
            else if (c == '\\')
            {
                value!.Add((byte)line[++i]);
            }
            else
            {
                value!.Add((byte)c);
            }
        }

        Flush();
        return values;

        void Flush()
        {
            if (value is not null)
            {
                values.Add(Convert.ToHexString([.. value]));
            }
        }
    }
}
