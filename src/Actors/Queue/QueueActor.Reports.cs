using Akka.Actor;
using Akka.Event;
using Gateway.Protocol.Dsn;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Queue;

namespace Gateway.Actors.Queue;

/// <summary>Delivery reports (RFC 3464): written into the spool as messages of their own before the original's entry changes.</summary>
public sealed partial class QueueActor
{
    private void WriteReport(Attempt attempt, AttemptVerdict verdict, DateTimeOffset now)
    {
        if (verdict.Report.Count == 0)
        {
            Persist(attempt, verdict.Entry);
            return;
        }

        var original = attempt.Message.Envelope;
        var id = _spool.NewId();
        byte[] content;
        try
        {
            content = DsnWriter.Write(new DeliveryReport(
                original, _settings.Hostname, [.. verdict.Report.Select(r => r.Outcome)], now, $"{id}@{_settings.Hostname}", attempt.Message.Content));
        }
        catch (ArgumentException e)
        {
            Self.Tell(new ReportFailed(attempt, verdict, e.Message));
            return;
        }

        // RFC 3461 §6.2, RFC 5321 §6.1: from the null sender, so it is never bounced in turn; to the original sender.
        var envelope = new Protocol.Mail.Envelope(
            id,
            ReversePath: null,
            MailParameters.None,
            [new Recipient(original.ReversePath!, RcptParameters.None)],
            _settings.Hostname,
            "127.0.0.1",
            "local",
            now);
        _log.Info("{0}: delivery report {1} ({2}) to <{3}>", attempt.Id, id,
            string.Join(", ", verdict.Report.Select(r => $"{r.Outcome.Recipient.Address}: {r.Outcome.Action.ToString().ToLowerInvariant()}")), original.ReversePath);
        _spool.CommitAsync(envelope, [content]).PipeTo(
            Self, success: () => new ReportWritten(attempt, verdict, id), failure: e => new ReportFailed(attempt, verdict, e.Message));
    }
}
