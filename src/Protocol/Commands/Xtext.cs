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

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';
}
