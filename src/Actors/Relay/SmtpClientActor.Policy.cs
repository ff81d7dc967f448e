using Gateway.Protocol.Access;

namespace Gateway.Actors.Relay;

/// <summary>The access-map hooks of the client role: Try_TLS (R20), tls_server (R24), tls_rcpt (R26).</summary>
public sealed partial class SmtpClientActor
{
    private void AskTryTls() => StartTls();

    private void AskTlsServer(TlsCheckInput input) =>
        TlsServerDecided(TlsRequirementCheck.Evaluate(input, null, _settings.ReplyCodes, _ => null));

    private void AskTlsRcpt(IReadOnlyList<int> recipients, Action<IReadOnlyList<int>> allowed) => allowed(recipients);

    private void AwaitingPolicy(object message) => Common(message);
}
