namespace Gateway.Protocol.Client;

/// <summary>
/// The content of a message as DATA sends it (RFC 5321 §4.5.2): a dot doubled at the start of every line, a last line
/// ended with CRLF if it was not, and the end-of-data line ".". The spool keeps content as received after un-stuffing
/// (with CRLF line ends), so sending it again must stuff it again, or a line "." in a message would end it early.
/// </summary>
public static class DotStuffing
{
    private static readonly byte[] End = ".\r\n"u8.ToArray();

    public static byte[] Stuff(ReadOnlySpan<byte> content)
    {
        var dots = 0;
        if (content.Length > 0 && content[0] == (byte)'.')
        {
            dots++;
        }

        for (var i = content.IndexOf("\n."u8); i >= 0;)
        {
            dots++;
            var next = content[(i + 2)..].IndexOf("\n."u8);
            i = next < 0 ? -1 : i + 2 + next;
        }

        var needsCrLf = content.Length > 0 && !content.EndsWith("\r\n"u8);
        var output = new byte[content.Length + dots + (needsCrLf ? 2 : 0) + End.Length];
        var at = 0;
        var lineStart = true;
        foreach (var b in content)
        {
            if (lineStart && b == (byte)'.')
            {
                output[at++] = (byte)'.';
            }

            output[at++] = b;
            lineStart = b == (byte)'\n';
        }

        if (needsCrLf)
        {
            output[at++] = (byte)'\r';
            output[at++] = (byte)'\n';
        }

        End.CopyTo(output, at);
        return output;
    }
}
