using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Gateway.Actors.Connection;
using Gateway.Actors.Policy;
using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;
using Gateway.Protocol.Queue;

namespace Gateway.Actors.Relay;

/// <summary>
/// The access-map hooks of the client role, asked of the node's PolicyActor by message (never Ask): Try_TLS (R20,
/// R64), tls_server (R24) and tls_rcpt (R26). Without a map only the built-in rules apply (R54 step 2: a failed
/// handshake or a broken STARTTLS refuses). Each question carries this connection's facts alone (R28).
/// </summary>
public sealed partial class SmtpClientActor
{
    private long _policyId;
    private Phase _askedIn;
    private Action<PolicyAnswer>? _onAnswer;
    private Action? _onTimeout;
    private readonly List<ByteString> _heldInput = [];

    /// <summary>{server_addr} as the map's address forms want it (R55): 192.0.2.7 or IPv6:2001:db8::7.</summary>
    private string ServerAddr => _host >= 0 && _host < _hosts.Count
        ? _hosts[_host].Address.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6:" + _hosts[_host].Address : _hosts[_host].Address.ToString()
        : "";

    private void AskTryTls()
    {
        if (_settings.Policy is null)
        {
            StartTls();
            return;
        }

        Ask(new PolicyQuestion.TryTls(HostName, ServerAddr), answer =>
        {
            if (answer.TryTls)
            {
                StartTls();
            }
            else
            {
                // R20, R64: Try_TLS:host NO; {verify} stays NONE and tls_server still decides.
                _log.Info("STARTTLS=client, relay={0}, not tried: {1}", Relay, answer.Verdict.Reason);
                CheckTlsServer();
            }
        }, onTimeout: StartTls);
    }

    private void AskTlsServer(TlsCheckInput input)
    {
        if (_settings.Policy is null)
        {
            TlsServerDecided(TlsRequirementCheck.Evaluate(input, null, _settings.ReplyCodes, _ => null));
            return;
        }

        Ask(new PolicyQuestion.TlsServer(input, HostName, ServerAddr), answer => TlsServerDecided(answer.Verdict),
            onTimeout: () => TlsServerDecided(Verdict.Reject(451, "4.3.0", "Temporary system failure: access map unavailable", "timeout")));
    }

    /// <summary>R26: each recipient's tls_rcpt in turn; a refused one is not sent and ends with the hook's reply.</summary>
    private void AskTlsRcpt(IReadOnlyList<int> recipients, Action<IReadOnlyList<int>> allowed)
    {
        if (_settings.Policy is null)
        {
            allowed(recipients);
            return;
        }

        var sent = new List<int>();
        var envelope = _job!.Job.Message.Envelope;
        void Next(int at)
        {
            if (at == recipients.Count)
            {
                allowed(sent);
                return;
            }

            var index = recipients[at];
            Ask(new PolicyQuestion.TlsRcpt(Input(), envelope.Recipients[index].Address.ToString()), answer =>
            {
                switch (ClientTlsDecision.BeforeRcpt(answer.Verdict))
                {
                    case TlsRcptOutcome.SkipRcpt skip:
                        _log.Info("{0}: to=<{1}>, relay={2}, tls_rcpt refused: {3}", envelope.Id, envelope.Recipients[index].Address, Relay, skip.Refusal.Diagnostic);
                        _results[index] = new AttemptResult(
                            index, skip.Refusal.Permanent ? AttemptResultKind.Failed : AttemptResultKind.Deferred, skip.Refusal.Diagnostic, HostName);
                        break;
                    default:
                        sent.Add(index);
                        break;
                }

                Next(at + 1);
            }, onTimeout: () =>
            {
                _results[index] = new AttemptResult(index, AttemptResultKind.Deferred, "451 4.3.0 Temporary system failure: access map unavailable", HostName);
                Next(at + 1);
            });
        }

        Next(0);
    }

    private void Ask(PolicyQuestion question, Action<PolicyAnswer> onAnswer, Action onTimeout)
    {
        _askedIn = _phase;
        _phase = Phase.AwaitingPolicy;
        (_onAnswer, _onTimeout) = (onAnswer, onTimeout);
        var id = ++_policyId;
        _settings.Policy!.Tell(new PolicyProtocol.CheckPolicy(id, question), Self);
        Timers.StartSingleTimer(nameof(PolicyTimeout), new PolicyTimeout(id), _settings.PolicyTimeout);
    }

    private void AwaitingPolicy(object message)
    {
        switch (message)
        {
            case PolicyProtocol.PolicyVerdict verdict when verdict.Id == _policyId:
                Timers.Cancel(nameof(PolicyTimeout));
                var onAnswer = _onAnswer!;
                Resume(() => onAnswer(verdict.Answer));
                break;
            case PolicyTimeout timeout when timeout.Id == _policyId:
                _log.Warning("relay={0}, the access map did not answer within {1}", Relay, _settings.PolicyTimeout);
                var onTimeout = _onTimeout!;
                Resume(onTimeout);
                break;
            case Transport.Received received:
                // Unasked bytes wait for the verdict; the phase that follows reads them in order.
                _heldInput.Add(received.Data);
                break;
            case Transport.Closed or Transport.Failed:
                _phase = _askedIn;
                Timers.Cancel(nameof(PolicyTimeout));
                OnReceive(message);
                break;
            default:
                Common(message);
                break;
        }
    }

    private void Resume(Action continuation)
    {
        _phase = _askedIn;
        (_onAnswer, _onTimeout) = (null, null);
        continuation();

        // The phase that follows waits for the server (or, ready, for a 421 it may send): it needs the next chunk.
        if (_phase is Phase.Opening or Phase.Transaction or Phase.Ready)
        {
            _transport?.ReadWhenFlushed();
        }

        if (_heldInput.Count > 0 && _phase is Phase.Opening or Phase.Transaction)
        {
            var held = _heldInput.ToArray();
            _heldInput.Clear();
            foreach (var data in held)
            {
                Input(data);
            }
        }
    }
}
