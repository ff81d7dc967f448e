namespace Gateway.Actors.Relay;

/// <summary>What each awaited reply answers, and how long it may take (RFC 5321 §4.5.3.2).</summary>
public sealed partial class SmtpClientActor
{
    private enum StepKind
    {
        Greeting,
        Ehlo,
        Helo,
        StartTls,
        EhloAgain,
        Mail,
        Rcpt,
        Data,
        Body,

        /// <summary>The end of a DATA the server accepted although no recipient was: its reply means nothing.</summary>
        EmptyBody,
        Rset,
    }

    private readonly record struct Step(StepKind Kind, int Recipient = -1)
    {
        public bool IsOpening => Kind is StepKind.Greeting or StepKind.Ehlo or StepKind.Helo or StepKind.StartTls or StepKind.EhloAgain;

        /// <summary>Postfix's wording for where a failure happened: "while receiving the initial server greeting".</summary>
        public string Describe() => Kind switch
        {
            StepKind.Greeting => "receiving the initial server greeting",
            StepKind.Ehlo or StepKind.EhloAgain => "sending EHLO",
            StepKind.Helo => "sending HELO",
            StepKind.StartTls => "sending STARTTLS",
            StepKind.Mail => "sending MAIL FROM",
            StepKind.Rcpt => "sending RCPT TO",
            StepKind.Data => "sending DATA command",
            StepKind.Body or StepKind.EmptyBody => "sending message body",
            _ => "sending RSET",
        };
    }

    private readonly record struct Expect(Step Step, TimeSpan Timeout)
    {
        public Expect(StepKind kind, TimeSpan timeout)
            : this(new Step(kind), timeout)
        {
        }
    }
}
