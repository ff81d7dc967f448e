using System.Globalization;
using Gateway.Protocol.Client;
using Gateway.Protocol.Tls;

namespace Gateway.Actors.Relay;

/// <summary>The greeting, EHLO (HELO when refused) and the decision to try STARTTLS (SPEC R20).</summary>
public sealed partial class SmtpClientActor
{
    private void OpeningReply(Step step, ServerReply reply)
    {
        switch (step.Kind)
        {
            case StepKind.Greeting when reply.Code == 220:
                Ehlo(StepKind.Ehlo);
                break;
            case StepKind.Greeting:
                // RFC 5321 §3.1, §5.1: a server that will not talk is passed over for the next MX.
                HostFailed($"{Text(reply)} (host {Relay} refused to talk to me)", permanent: reply.Class == 5, quit: true);
                break;
            case StepKind.Ehlo or StepKind.EhloAgain when reply.Class == 2:
                _extensions = ServerExtensions.From(reply);
                AfterEhlo();
                break;
            case StepKind.Ehlo when reply.Class == 5:
                // RFC 5321 §3.2: a server that does not know EHLO gets HELO, and offers no extension.
                Send($"HELO {_settings.Hostname}");
                Await(new Expect(StepKind.Helo, _settings.CommandTimeout));
                break;
            case StepKind.Helo when reply.Class == 2:
                _extensions = ServerExtensions.None;
                AfterEhlo();
                break;
            case StepKind.Ehlo or StepKind.Helo or StepKind.EhloAgain:
                HostFailed($"{Text(reply)} (in reply to {(step.Kind == StepKind.Helo ? "HELO" : "EHLO")} from {Relay})", permanent: reply.Class == 5, quit: true);
                break;
            case StepKind.StartTls:
                StartTlsReply(reply);
                break;
        }
    }

    private void Ehlo(StepKind kind)
    {
        Send($"EHLO {_settings.Hostname}");
        Await(new Expect(kind, _settings.CommandTimeout));
    }

    /// <summary>R20: STARTTLS when offered, not tried on this connection yet, and TLS usable on this node; Try_TLS may say no.</summary>
    private void AfterEhlo()
    {
        if (!_tlsTried && _extensions.StartTls && _settings.Tls is not null)
        {
            AskTryTls();
        }
        else
        {
            CheckTlsServer();
        }
    }

    /// <summary>One line for the queue listing and the report: "550 5.1.1 user unknown" (a multi-line reply's lines joined).</summary>
    private static string Text(ServerReply reply) =>
        string.Create(CultureInfo.InvariantCulture, $"{reply.Code} {string.Join(' ', reply.Lines)}").Trim();

    private string ClientVerifyNote() => _facts.Verify == TlsClientVerifyValues.None ? "" : $", verify={_facts.Verify}";
}
