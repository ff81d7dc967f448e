using System.Text;

namespace Gateway.Protocol.Tls;

/// <summary>
/// sendmail's "+HEX" quoting of DN and CN macros (SPEC R44, xtextify with the extra set <c>&lt;&gt;")</c>).
/// Not RFC 3461 xtext: "=" stays, and space, <c>( ) &lt; &gt; "</c> are quoted too.
/// </summary>
public static class HexQuoting
{
    private const string Hex = "0123456789ABCDEF";

    /// <summary>Each byte below 0x21, above 0x7E, or one of <c>+ \ ( ) &lt; &gt; "</c> becomes "+HH" (uppercase, R45).</summary>
    public static string Encode(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length + 8);
        foreach (var b in raw)
        {
            if (NeedsQuoting(b))
            {
                text.Append('+').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
            else
            {
                text.Append((char)b);
            }
        }

        return text.ToString();
    }

    /// <summary>Encodes a string whose chars are bytes (0–255), as <see cref="DnRenderer"/> returns.</summary>
    /// <remarks>A char above 0xFF cannot come from the renderer; it is taken as its UTF-8 bytes rather than lost.</remarks>
    public static string Encode(string ascii)
    {
        ArgumentNullException.ThrowIfNull(ascii);
        foreach (var c in ascii)
        {
            if (c > 0xFF)
            {
                return Encode(Encoding.UTF8.GetBytes(ascii));
            }
        }

        return Encode(Encoding.Latin1.GetBytes(ascii));
    }

    /// <summary>
    /// "+HH" back to the byte, for logs and display only (R44); anything else, including a "+" not followed
    /// by two hex digits, is kept as it is. Bytes come back as Latin-1 chars.
    /// </summary>
    public static string Decode(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var text = new StringBuilder(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '+' && i + 2 < encoded.Length
                && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
            {
                text.Append((char)Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                text.Append(encoded[i]);
            }
        }

        return text.ToString();
    }

    private static bool NeedsQuoting(byte b) =>
        b is < 0x21 or > 0x7E or (byte)'+' or (byte)'\\' or (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'"';
}
