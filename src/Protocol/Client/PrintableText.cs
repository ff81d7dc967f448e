using System.Globalization;
using System.Text;

namespace Gateway.Protocol.Client;

/// <summary>Text a server sent, made safe to show: a hostile server must not drive the terminal or forge log lines.</summary>
public static class PrintableText
{
    /// <summary>UTF-8 as far as it goes; control characters as <c>\xHH</c>.</summary>
    public static string From(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                escaped.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
