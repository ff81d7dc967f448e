namespace Gateway.Protocol.Commands;

/// <summary>RFC 3461 §4: xtext = *( xchar / hexchar ), hexchar = "+" 2 uppercase hex digits.</summary>
public static class Xtext
{
    public static bool IsValid(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '+')
            {
                if (i + 2 >= value.Length || !IsUpperHex(value[i + 1]) || !IsUpperHex(value[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (c is < '!' or > '~' or '=')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text an xtext stands for: each "+XX" is the character with that code (RFC 3461 §4; RFC 3464 §2.3.1 wants it decoded in a DSN).</summary>
    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('+', StringComparison.Ordinal))
        {
            return value;
        }

        var text = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '+' && i + 2 < value.Length && IsUpperHex(value[i + 1]) && IsUpperHex(value[i + 2]))
            {
                text.Append((char)Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';
}
