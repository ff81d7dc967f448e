using Gateway.Protocol.Tls;
using Org.BouncyCastle.Security;

namespace Gateway.Protocol.Tests.Tls;

/// <summary>Which ClientHello finds a session: by ticket, by this node's cache, and only while fresh.</summary>
public sealed class TlsResumptionTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Noon);
    private readonly SecureRandom _random = new();

    [Fact]
    public void A_ticket_resumes_with_the_client_s_own_session_id()
    {
        var resumption = Resumption(capacity: 10);
        var ticket = resumption.Seal(SessionTicketsTests.Session(Noon), _random);

        var found = resumption.Find(TlsResumption.NewSessionId(_random), ticket);

        Assert.Equal(ResumedBy.Ticket, found?.By);
    }

    [Fact]
    public void Without_a_session_id_nothing_is_resumed()
    {
        var resumption = Resumption(capacity: 10);
        var ticket = resumption.Seal(SessionTicketsTests.Session(Noon), _random);

        Assert.Null(resumption.Find([], ticket));
    }

    [Fact]
    public void A_bad_ticket_gives_a_full_handshake_even_when_its_session_id_is_cached()
    {
        var resumption = Resumption(capacity: 10);
        var id = TlsResumption.NewSessionId(_random);
        resumption.Cache.Remember(id, SessionTicketsTests.Session(Noon));

        Assert.Null(resumption.Find(id, [1, 2, 3]));
        Assert.Equal(ResumedBy.SessionId, resumption.Find(id, [])?.By);
    }

    [Fact]
    public void A_session_older_than_the_timeout_is_not_resumed_by_either_way()
    {
        var resumption = Resumption(capacity: 10);
        var id = TlsResumption.NewSessionId(_random);
        var session = SessionTicketsTests.Session(Noon);
        resumption.Cache.Remember(id, session);
        var ticket = resumption.Seal(session, _random);

        _clock.Now = Noon.AddMinutes(59);
        Assert.NotNull(resumption.Find(id, ticket));
        Assert.NotNull(resumption.Find(id, []));

        _clock.Now = Noon.AddMinutes(61);
        Assert.Null(resumption.Find(id, ticket));
        Assert.Null(resumption.Find(id, []));
        Assert.Equal(0, resumption.Cache.Count);
    }

    [Fact]
    public void A_clock_set_back_does_not_make_a_session_immortal()
    {
        var resumption = Resumption(capacity: 10);
        var id = TlsResumption.NewSessionId(_random);
        resumption.Cache.Remember(id, SessionTicketsTests.Session(Noon));

        _clock.Now = Noon.AddMinutes(-30);
        Assert.NotNull(resumption.Find(id, []));

        _clock.Now = Noon.AddHours(-2);
        Assert.Null(resumption.Find(id, []));
    }

    [Fact]
    public void The_cache_forgets_its_oldest_sessions_beyond_its_capacity()
    {
        var resumption = Resumption(capacity: 3);
        var ids = Enumerable.Range(0, 5).Select(_ => TlsResumption.NewSessionId(_random)).ToList();
        foreach (var id in ids)
        {
            resumption.Cache.Remember(id, SessionTicketsTests.Session(Noon));
        }

        Assert.Equal(3, resumption.Cache.Count);
        Assert.Null(resumption.Find(ids[0], []));
        Assert.Null(resumption.Find(ids[1], []));
        Assert.All(ids.Skip(2), id => Assert.NotNull(resumption.Find(id, [])));
    }

    [Fact]
    public void The_ticket_keys_are_made_at_the_first_ticket_not_before()
    {
        var made = 0;
        var resumption = new TlsResumption(
            () =>
            {
                made++;
                return new SessionTicketKeys(SessionTicketsTests.Secret(1), TimeSpan.FromHours(1));
            },
            TimeSpan.FromHours(1),
            10,
            _clock);

        Assert.Equal(0, made);
        resumption.Seal(SessionTicketsTests.Session(Noon), _random);
        resumption.Seal(SessionTicketsTests.Session(Noon), _random);
        Assert.Equal(1, made);
    }

    [Fact]
    public void A_cache_of_size_zero_keeps_nothing()
    {
        var resumption = Resumption(capacity: 0);
        var id = TlsResumption.NewSessionId(_random);
        resumption.Cache.Remember(id, SessionTicketsTests.Session(Noon));

        Assert.Null(resumption.Find(id, []));
    }

    private TlsResumption Resumption(int capacity) =>
        new(() => new SessionTicketKeys(SessionTicketsTests.Secret(1), TimeSpan.FromHours(1)), TimeSpan.FromHours(1), capacity, _clock);

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
