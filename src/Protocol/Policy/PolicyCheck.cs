using Gateway.Protocol.Commands;

namespace Gateway.Protocol.Policy;

/// <summary>The points of a session where the access map is asked (SPEC sections 5–8), each with what it needs.</summary>
public abstract record PolicyCheck
{
    private PolicyCheck() { }

    /// <summary>Before the greeting: <c>Connect:</c>, then <c>Srv_Features:</c> (R63).</summary>
    public sealed record Opening : PolicyCheck
    {
        public static readonly Opening Instance = new();
    }

    /// <summary>After the handshake: tls_client with "STARTTLS" (R7 step 3, R10).</summary>
    public sealed record Handshake : PolicyCheck
    {
        public static readonly Handshake Instance = new();
    }

    /// <summary>At MAIL: tls_client with "MAIL" (R11), then <c>From:</c>.</summary>
    public sealed record Mail(SmtpCommand.Mail Command) : PolicyCheck;

    /// <summary>At RCPT: <c>To:</c> and relaying.</summary>
    public sealed record Rcpt(SmtpCommand.Rcpt Command) : PolicyCheck;
}
