using Org.BouncyCastle.Tls;

namespace Gateway.Protocol.Tls;

/// <summary>
/// What BouncyCastle tells either side's callbacks about the session as a whole: that the handshake
/// completed, and the last alert raised or received (in words, for the log and the probe, SPEC R6).
/// </summary>
internal sealed class TlsNotifications
{
    public bool HandshakeComplete { get; private set; }

    public string? LastAlert { get; private set; }

    public void HandshakeCompleted() => HandshakeComplete = true;

    public void AlertRaised(short alertLevel, short alertDescription, string? message, Exception? cause) =>
        LastAlert = $"raised {AlertLevel.GetText(alertLevel)} {AlertDescription.GetText(alertDescription)}"
            + (message is null ? "" : ": " + message)
            + (cause is null || cause.Message == message ? "" : $" ({cause.GetType().Name}: {cause.GetBaseException().Message})");

    public void AlertReceived(short alertLevel, short alertDescription) =>
        LastAlert = $"received {AlertLevel.GetText(alertLevel)} {AlertDescription.GetText(alertDescription)}";
}
