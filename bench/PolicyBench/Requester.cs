using Akka.Actor;
using Gateway.Actors.Policy;
using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;
using static Gateway.Actors.Policy.PolicyProtocol;

namespace Gateway.Bench;

/// <summary>
/// Plays the connections: keeps <c>window</c> questions in flight to the PolicyActor, one simulated session's
/// five questions after another (Connect, Srv_Features, tls_client, MAIL, RCPT), and counts the answers.
/// <c>distinct</c> bounds how many different clients it cycles through: small is a hot cache, huge is a cold one.
/// </summary>
internal sealed class Requester : UntypedActor
{
    private readonly IActorRef _policy;
    private readonly int _window;
    private readonly int _distinct;
    private readonly int _offset;
    private readonly long[] _answered;
    private readonly int _slot;
    private long _next;

    public Requester(IActorRef policy, int window, int distinct, int offset, long[] answered, int slot)
    {
        (_policy, _window, _distinct, _offset, _answered, _slot) = (policy, window, distinct, offset, answered, slot);
    }

    protected override void PreStart()
    {
        for (var i = 0; i < _window; i++)
        {
            Ask();
        }
    }

    protected override void OnReceive(object message)
    {
        if (message is PolicyVerdict)
        {
            Interlocked.Increment(ref _answered[_slot]);
            Ask();
        }
    }

    private void Ask()
    {
        var n = _next++;
        var client = _offset + (int)((n / 5) % _distinct);
        var name = BenchMap.Client(client);
        var address = BenchMap.Address(client);
        PolicyQuestion question = (n % 5) switch
        {
            0 => new PolicyQuestion.Connect(name, address),
            1 => new PolicyQuestion.SrvFeatures(name, address),
            2 => new PolicyQuestion.TlsClient(new TlsCheckInput("OK", 256, 0, name, "/CN=" + name, "/C=US/O=Issuer+207/CN=CA+207", name), name, address, "MAIL"),
            3 => new PolicyQuestion.From($"user{client}@senders.example"),
            _ => new PolicyQuestion.To($"x@domain{client}.example", false, false, "OK", "/C=US/O=Issuer+207/CN=CA+207", "/CN=" + name),
        };
        _policy.Tell(new CheckPolicy(n, question));
    }
}
