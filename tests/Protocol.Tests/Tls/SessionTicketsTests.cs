using Gateway.Protocol.Tls;

namespace Gateway.Protocol.Tests.Tls;

/// <summary>RFC 5077 tickets as the node seals them: what opens, and everything that must not.</summary>
public sealed class SessionTicketsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void A_ticket_opens_to_the_session_sealed_in_it()
    {
        var tickets = Tickets(Secret(1));
        var session = Session(Noon);

        var opened = tickets.Open(tickets.Seal(session, Nonce(7)), Noon.AddMinutes(5));

        Assert.NotNull(opened);
        Assert.Equal(session.CipherSuite, opened.CipherSuite);
        Assert.Equal(session.MasterSecret, opened.MasterSecret);
        Assert.True(opened.ExtendedMasterSecret);
        Assert.True(opened.CertificateRequested);
        Assert.Equal(session.Issued, opened.Issued);
        Assert.Equal([0x01, 0x00], opened.ServerExtensions[0xff01]);
        Assert.Equal(session.PeerChain, opened.PeerChain);
    }

    [Fact]
    public void Another_node_with_the_same_secret_opens_it_and_one_with_another_secret_does_not()
    {
        var ticket = Tickets(Secret(1)).Seal(Session(Noon), Nonce(7));

        Assert.NotNull(Tickets(Secret(1)).Open(ticket, Noon));
        Assert.Null(Tickets(Secret(2)).Open(ticket, Noon));
    }

    [Fact]
    public void The_master_secret_is_not_in_the_ticket_in_clear()
    {
        var session = Session(Noon);
        var ticket = Tickets(Secret(1)).Seal(session, Nonce(7));

        Assert.Equal(-1, ticket.AsSpan().IndexOf(session.MasterSecret.AsSpan(0, 16)));
    }

    [Fact]
    public void Any_changed_byte_makes_the_ticket_fail_to_open()
    {
        var tickets = Tickets(Secret(1));
        var ticket = tickets.Seal(Session(Noon), Nonce(7));

        for (var i = 0; i < ticket.Length; i++)
        {
            var damaged = ticket.ToArray();
            damaged[i] ^= 0x01;
            Assert.Null(tickets.Open(damaged, Noon));
        }

        Assert.Null(tickets.Open(ticket.AsSpan(0, ticket.Length - 1), Noon));
        Assert.Null(tickets.Open([], Noon));
        Assert.Null(tickets.Open(new byte[45], Noon));
    }

    [Fact]
    public void Keys_rotate_each_period_and_the_previous_period_s_tickets_still_open()
    {
        var tickets = Tickets(Secret(1));
        var ticket = tickets.Seal(Session(Noon.AddMinutes(50)), Nonce(7));

        // Sealed in the 12:00 period: opens in it and in the next, not two periods on.
        Assert.NotNull(tickets.Open(ticket, Noon.AddMinutes(59)));
        Assert.NotNull(tickets.Open(ticket, Noon.AddMinutes(119)));
        Assert.Null(tickets.Open(ticket, Noon.AddMinutes(120)));
        Assert.NotEqual(tickets.Keys.Current(Noon).Key, tickets.Keys.Current(Noon.AddHours(1)).Key);
    }

    [Fact]
    public void Encoded_sessions_refuse_truncation_and_trailing_bytes()
    {
        var encoded = Session(Noon).Encode();

        Assert.NotNull(ResumableSession.Decode(encoded));
        for (var length = 0; length < encoded.Length; length++)
        {
            Assert.Null(ResumableSession.Decode(encoded.AsSpan(0, length)));
        }

        Assert.Null(ResumableSession.Decode([.. encoded, 0]));
    }

    [Fact]
    public void A_secret_shorter_than_a_key_is_refused() =>
        Assert.Throws<ArgumentException>(() => new SessionTicketKeys(new byte[31], Hour));

    internal static ResumableSession Session(DateTimeOffset issued) => new(
        0xC02C,
        [.. Enumerable.Range(1, 48).Select(i => (byte)i)],
        ExtendedMasterSecret: true,
        new Dictionary<int, byte[]> { [0xff01] = [0x01, 0x00] },
        CertificateRequested: true,
        [[0x30, 0x03, 0x02, 0x01, 0x01], [0x30, 0x00]],
        issued);

    internal static byte[] Secret(byte seed) => [.. Enumerable.Range(0, 48).Select(i => (byte)(i * 7 + seed))];

    private static SessionTickets Tickets(byte[] secret) => new(new SessionTicketKeys(secret, Hour));

    private static byte[] Nonce(byte seed) => [.. Enumerable.Repeat(seed, 12)];
}
