using System.Globalization;
using System.Text;

namespace Gateway.Load;

/// <summary>
/// The bytes every simulated client sends, built once per run: the commands, and a message of the planned
/// size whose only per-message part is its Message-ID (so deliveries can be counted at the far end).
/// No body line starts with a dot, so nothing needs dot-stuffing (RFC 5321 §4.5.2).
/// </summary>
internal sealed class LoadScript
{
    private readonly byte[] _bodyTail;
    private readonly string _runId;

    public LoadScript(LoadPlan plan)
    {
        Ehlo = Encoding.ASCII.GetBytes($"EHLO {plan.Helo}\r\n");
        Mail = Encoding.UTF8.GetBytes($"MAIL FROM:<{plan.From}>\r\n");
        Rcpt = Encoding.UTF8.GetBytes($"RCPT TO:<{plan.To}>\r\n");
        _runId = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        HeadersBefore = Encoding.UTF8.GetBytes(
            $"From: <{plan.From}>\r\nTo: <{plan.To}>\r\nSubject: gateway load\r\nDate: {DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)}\r\nMessage-ID: <");
        _bodyTail = Tail(plan.Size - HeadersBefore.Length - MessageIdLength);
    }

    /// <summary>"load.{run}.{client}.{n}@load.test" with fixed-width numbers, so every message has the same size.</summary>
    private int MessageIdLength => $"load.{_runId}.000000.0000000000@load.test>\r\n\r\n".Length;

    public byte[] Ehlo { get; }

    public byte[] Mail { get; }

    public byte[] Rcpt { get; }

    public byte[] HeadersBefore { get; }

    public static byte[] StartTls { get; } = "STARTTLS\r\n"u8.ToArray();

    public static byte[] Data { get; } = "DATA\r\n"u8.ToArray();

    public static byte[] Quit { get; } = "QUIT\r\n"u8.ToArray();

    /// <summary>What follows every head: the body, padded to the planned size, and the end of data. Shared by every client (sent without a copy): never written to.</summary>
    public byte[] MessageTail => _bodyTail;

    /// <summary>The headers of message <paramref name="sequence"/> of client <paramref name="client"/>; <see cref="MessageTail"/> follows.</summary>
    public byte[] MessageHead(int client, long sequence)
    {
        var id = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"load.{_runId}.{client:D6}.{sequence:D10}@load.test>\r\n\r\n"));
        var head = new byte[HeadersBefore.Length + id.Length];
        HeadersBefore.CopyTo(head, 0);
        id.CopyTo(head, HeadersBefore.Length);
        return head;
    }

    /// <summary>The body (78-byte lines, RFC 5322 §2.1.1) padded to <paramref name="length"/> bytes, then the end of data.</summary>
    private static byte[] Tail(int length)
    {
        var body = new StringBuilder(Math.Max(length, 0) + 8);
        var line = new string('x', 76) + "\r\n";
        while (body.Length + line.Length <= length)
        {
            body.Append(line);
        }

        var rest = length - body.Length;
        if (rest is 1 or 2 && body.Length > 0)
        {
            // Too short for a line of its own (a line is at least its CRLF): widen the last line instead.
            body.Length -= line.Length;
            rest += line.Length;
        }

        if (rest >= 2)
        {
            body.Append('y', rest - 2).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(body.Append(".\r\n").ToString());
    }
}
