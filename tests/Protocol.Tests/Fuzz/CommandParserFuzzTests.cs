using System.Text;
using Gateway.Protocol.Commands;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// The command parser is total (STYLE 2.4: it never throws on client input): every line, however mangled,
/// is a command or <see cref="SmtpCommand.Invalid"/> with a 4xx/5xx reply, and an accepted path keeps
/// RFC 5321 §4.5.3.1's sizes.
/// </summary>
public sealed class CommandParserFuzzTests
{
    private static readonly string[] Verbs =
    [
        "HELO", "EHLO", "MAIL FROM:", "RCPT TO:", "DATA", "BDAT", "RSET", "NOOP", "QUIT", "VRFY", "HELP", "STARTTLS",
        "EXPN", "AUTH", "ETRN", "GET", "POST", "CONNECT", "USER", "mail from:", "Rcpt To:", "ehlo", "X", "",
    ];

    private static readonly string[] Paths =
    [
        "<>", "<a@b.example>", "<user.name+tag@mx.example.org>", "<\"quoted local\"@[192.0.2.1]>", "<\"a\\\"b\"@c.example>",
        "<@relay.example,@b.example:user@d.example>", "<postmaster>", "<Postmaster>", "<user@[IPv6:2001:db8::1]>",
        "<user@[IPv6:::ffff:192.0.2.1]>", "<üser@例え.jp>", "<a@-bad-.example>", "<a@b..example>", "<a@[300.1.1.1]>",
        "<" + new string('l', 64) + "@d.example>", "<" + new string('l', 65) + "@d.example>",
        "<a@" + string.Join('.', Enumerable.Repeat(new string('d', 63), 4)) + ">", "a@b.example", "<a@b.example",
    ];

    private static readonly string[] Parameters =
    [
        "SIZE=1000", "SIZE=99999999999999999999", "SIZE=", "BODY=8BITMIME", "BODY=BINARYMIME", "BODY=7BIT", "SMTPUTF8",
        "RET=FULL", "RET=HDRS", "ENVID=abc+2Bdef", "ENVID=" + new string('x', 101), "NOTIFY=SUCCESS,FAILURE", "NOTIFY=NEVER",
        "NOTIFY=NEVER,DELAY", "ORCPT=rfc822;a+40b.example", "ORCPT=rfc822;", "AUTH=<>", "X-UNKNOWN=1", "=", "SIZE=1 SIZE=2",
    ];

    private static readonly string[] Arguments =
    [
        "client.example", "[192.0.2.1]", "", " ", "a b", "12345", "12345 LAST", "0 last", "-1", "999999999999999999",
        "9999999999999999999", "1 LAST extra", "HTTP/1.1", "/ HTTP/1.0", "PLAIN dGVzdA==", new string('x', 300),
    ];

    [Fact]
    public void Every_line_is_a_command_or_an_invalid_with_a_failure_reply() =>
        FuzzRun.Check(nameof(CommandParserFuzzTests), 20_000, random =>
        {
            var line = Mutate.Bytes(random, Line(random), maxLength: 4096);

            var command = CommandParser.Parse(line);

            switch (command)
            {
                case null:
                    throw new InvalidOperationException("null command");
                case SmtpCommand.Invalid invalid:
                    Assert.InRange((int)invalid.Reply.Code, 400, 599);
                    break;
                case SmtpCommand.Mail { ReversePath: { } mailbox }:
                    Assert.True(mailbox.Domain.Length > 0, "MAIL without a domain");
                    Sized(mailbox);
                    break;
                case SmtpCommand.Rcpt rcpt:
                    Sized(rcpt.ForwardPath);
                    break;
                case SmtpCommand.Bdat bdat:
                    Assert.True(bdat.Size >= 0, "negative BDAT size");
                    break;
                case SmtpCommand.Helo or SmtpCommand.Ehlo:
                    Assert.DoesNotContain('\r', command.ToString());
                    break;
            }
        });

    private static void Sized(Mail.Mailbox mailbox)
    {
        Assert.InRange(Encoding.UTF8.GetByteCount(mailbox.LocalPart), 1, Limits.LocalPart);
        Assert.InRange(Encoding.UTF8.GetByteCount(mailbox.Domain), 0, Limits.Domain);
        Assert.DoesNotContain('\0', mailbox.ToString());
    }

    private static byte[] Line(FuzzRandom random)
    {
        var line = new StringBuilder(random.Pick(Verbs));
        if (line.ToString().EndsWith(':'))
        {
            line.Append(random.OneIn(8) ? " " : "").Append(random.Pick(Paths));
            var count = random.Next(4);
            for (var i = 0; i < count; i++)
            {
                line.Append(' ').Append(random.Pick(Parameters));
            }
        }
        else if (!random.OneIn(4))
        {
            line.Append(random.OneIn(8) ? '\t' : ' ').Append(random.Pick(Arguments));
        }

        return Encoding.UTF8.GetBytes(line.ToString());
    }
}
