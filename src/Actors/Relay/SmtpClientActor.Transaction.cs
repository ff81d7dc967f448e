using Akka.Actor;
using Akka.Event;
using System.Globalization;
using System.Text;
using Gateway.Protocol.Client;
using Gateway.Protocol.Dsn;
using Gateway.Protocol.Queue;

namespace Gateway.Actors.Relay;

/// <summary>
/// One mail transaction: MAIL, RCPT for each recipient tls_rcpt allows, then DATA (or BDAT LAST when CHUNKING is
/// offered, RFC 3030), pipelined when PIPELINING is offered (RFC 2920: MAIL, the RCPTs and DATA in one write; BDAT only
/// once a recipient is accepted, so no content is sent for nobody). Each recipient ends with the reply that decided it.
/// </summary>
public sealed partial class SmtpClientActor
{
    private readonly Queue<(string Line, Expect Expect)> _unsent = new();
    private readonly Dictionary<int, AttemptResult> _results = [];
    private readonly List<int> _accepted = [];
    private RelayProtocol.Transaction? _job;
    private bool _mailAccepted;
    private bool _mailRefused;
    private bool _dataPipelined;

    private void Begin(RelayProtocol.Transaction transaction)
    {
        _job = transaction;
        _results.Clear();
        _accepted.Clear();
        _unsent.Clear();
        (_mailAccepted, _mailRefused, _dataPipelined) = (false, false, false);
        _phase = Phase.Transaction;

        var message = transaction.Job.Message;
        var content = message.Content.Span;
        var eightBit = content.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0;
        switch (EnvelopeCommands.Mail(message.Envelope, content.Length, eightBit, _extensions, HostName))
        {
            case EnvelopeCommand.Refuse refuse:
                // Decided before sending (5.6.7, 5.6.3, 5.3.4): nothing is said to the server.
                foreach (var index in transaction.Job.Recipients)
                {
                    _results[index] = new AttemptResult(index, AttemptResultKind.Failed, $"{refuse.Status} {refuse.Text}", HostName);
                }

                Finish();
                return;
            case EnvelopeCommand.Send mail:
                AskTlsRcpt(transaction.Job.Recipients, allowed => SendEnvelope(mail.Line, allowed));
                return;
        }
    }

    private void SendEnvelope(string mail, IReadOnlyList<int> allowed)
    {
        if (allowed.Count == 0)
        {
            Finish();
            return;
        }

        var envelope = _job!.Job.Message.Envelope;
        var commands = new List<(string, Expect)> { (mail, new Expect(StepKind.Mail, _settings.CommandTimeout)) };
        foreach (var index in allowed)
        {
            if (EnvelopeCommands.Rcpt(envelope.Recipients[index], _extensions) is EnvelopeCommand.Send rcpt)
            {
                commands.Add((rcpt.Line, new Expect(new Step(StepKind.Rcpt, index), _settings.CommandTimeout)));
            }
        }

        if (_extensions.Pipelining)
        {
            // RFC 2920 §3.1: DATA may end the group; BDAT is sent only after the RCPT replies.
            if (!_extensions.Chunking)
            {
                commands.Add(("DATA", new Expect(StepKind.Data, _settings.DataInitiationTimeout)));
                _dataPipelined = true;
            }

            var group = new StringBuilder();
            foreach (var (line, expect) in commands)
            {
                group.Append(line).Append("\r\n");
                Await(expect);
            }

            SendBytes(Encoding.UTF8.GetBytes(group.ToString()));
        }
        else
        {
            foreach (var command in commands.Skip(1))
            {
                _unsent.Enqueue(command);
            }

            Send(commands[0].Item1);
            Await(commands[0].Item2);
        }
    }

    private void TransactionReply(Step step, ServerReply reply)
    {
        if (reply.Code == 421)
        {
            // RFC 5321 §3.8: the server is closing the channel; whatever is not decided waits for the next attempt.
            Lost(Text(reply), quit: false);
            return;
        }

        switch (step.Kind)
        {
            case StepKind.Mail:
                _mailAccepted = reply.Class == 2;
                if (!_mailAccepted)
                {
                    _mailRefused = true;
                    foreach (var index in _job!.Job.Recipients.Where(i => !_results.ContainsKey(i)))
                    {
                        _results[index] = Result(index, reply);
                    }
                }

                break;
            case StepKind.Rcpt:
                if (!_mailRefused)
                {
                    if (reply.Class == 2)
                    {
                        _accepted.Add(step.Recipient);
                    }
                    else
                    {
                        _results[step.Recipient] = Result(step.Recipient, reply);
                    }
                }

                break;
            case StepKind.Data:
                DataReply(reply);
                return;
            case StepKind.Body:
                foreach (var index in _accepted)
                {
                    _results[index] = Result(index, reply);
                }

                Finish();
                return;
            case StepKind.EmptyBody:
                Reset();
                return;
            case StepKind.Rset:
                Finish();
                return;
        }

        if (_unsent.TryDequeue(out var next))
        {
            if (!_mailRefused)
            {
                Send(next.Line);
                Await(next.Expect);
                return;
            }

            _unsent.Clear();
        }

        if (_expected.Count == 0)
        {
            EnvelopeDone();
        }
    }

    /// <summary>Every MAIL and RCPT reply is in, and DATA was not pipelined: the content goes, or nothing does.</summary>
    private void EnvelopeDone()
    {
        if (_accepted.Count == 0)
        {
            if (_mailAccepted)
            {
                Reset();
            }
            else
            {
                Finish();
            }

            return;
        }

        var content = _job!.Job.Message.Content;
        if (_extensions.Chunking)
        {
            // RFC 3030: the content as stored, without dot-stuffing, in one last chunk.
            var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"BDAT {content.Length} LAST\r\n"));
            SendBytes([.. head, .. content.Span]);
            Await(new Expect(StepKind.Body, _settings.DataTerminationTimeout));
        }
        else
        {
            Send("DATA");
            Await(new Expect(StepKind.Data, _settings.DataInitiationTimeout));
        }
    }

    private void DataReply(ServerReply reply)
    {
        if (reply.Code == 354)
        {
            if (_accepted.Count > 0)
            {
                SendBytes(DotStuffing.Stuff(_job!.Job.Message.Content.Span));
                Await(new Expect(StepKind.Body, _settings.DataTerminationTimeout));
            }
            else
            {
                // RFC 2920 §3.1: a server that says 354 with no recipient gets an empty message, which it will refuse.
                SendBytes(".\r\n"u8.ToArray());
                Await(new Expect(StepKind.EmptyBody, _settings.DataTerminationTimeout));
            }

            return;
        }

        foreach (var index in _accepted)
        {
            _results[index] = Result(index, reply);
        }

        if (_mailAccepted)
        {
            Reset();
        }
        else
        {
            Finish();
        }
    }

    /// <summary>RSET after a transaction that began and did not end in a final reply, so the next one starts clean.</summary>
    private void Reset()
    {
        Send("RSET");
        Await(new Expect(StepKind.Rset, _settings.CommandTimeout));
    }

    private AttemptResult Result(int index, ServerReply reply) => new(
        index,
        reply.Class switch
        {
            2 => AttemptResultKind.Delivered,
            5 => AttemptResultKind.Failed,
            _ => AttemptResultKind.Deferred,
        },
        Text(reply),
        HostName,

        // RFC 3461 §4.2: a hop that took NOTIFY reports itself; to one that could not, "relayed" is said here.
        _extensions.Dsn ? null : DsnAction.Relayed);

    /// <summary>The transaction is over: the destination gets every recipient's result, and this connection is ready again.</summary>
    private void Finish()
    {
        var job = _job!;
        _job = null;
        _owner.Tell(new RelayProtocol.TransactionDone(job.Job, job.Requester, Results(job.Job, "4.4.2 no reply from the server")));
        BecomeReady();
    }

    private IReadOnlyList<AttemptResult> Results(RelayProtocol.Deliver job, string missing) =>
        [.. job.Recipients.Select(i => _results.TryGetValue(i, out var result)
            ? result
            : new AttemptResult(i, AttemptResultKind.Deferred, missing, HostName))];


    /// <summary>
    /// The connection broke (closed, timed out, a malformed reply, a 421). Opening: the next host is tried. In a
    /// transaction: what has no reply yet is deferred (a message whose end-of-data reply was lost may have been
    /// delivered, so the retry may repeat it: at least once, never lost).
    /// </summary>
    private void Lost(string reason, bool quit)
    {
        if (_phase == Phase.Opening)
        {
            HostFailed(reason, permanent: false, quit: quit);
            return;
        }

        _log.Info("relay={0}, {1}", Relay, reason);
        if (_job is { } job)
        {
            _job = null;
            _owner.Tell(new RelayProtocol.TransactionDone(job.Job, job.Requester, Results(job.Job, reason)));
        }

        _phase = Phase.Closing;
        _transport?.Abort();
        Context.Stop(Self);
    }
}
