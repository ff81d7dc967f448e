using Gateway.Protocol.Replies;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Gateway.Actors.Connection;
using Gateway.Actors.Policy;
using Gateway.Actors.Queue;
using Gateway.Actors.Tests.Support;
using Gateway.Protocol.Access;
using Gateway.Protocol.Policy;
using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace Gateway.Actors.Tests.Connection;

/// <summary>
/// The access map's questions of a connection (SPEC R10, R11, R63): a probe plays the PolicyActor, and the
/// connection must wait for each verdict, by id, before it greets or answers.
/// </summary>
public sealed class ConnectionPolicyTests : TestKit
{
    private const string TempFailure = "451 4.3.0 Temporary system failure. Please try again later.\r\n";

    /// <summary>The policy timeout, shorter than the idle timer (5 min); the tests that reach it move virtual time past it (<see cref="VirtualTime"/>).</summary>
    private static readonly TimeSpan PolicyTimeout = TimeSpan.FromMinutes(1);

    private readonly VirtualTime _time;

    public ConnectionPolicyTests(ITestOutputHelper output)
        : base(VirtualTime.Hocon, output)
    {
        _time = new VirtualTime(Sys);
    }

    [Fact]
    public async Task The_greeting_waits_for_the_connect_and_srv_features_answers()
    {
        var policy = CreateTestProbe();
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), WithPolicy(policy));

        var connect = await ExpectAsync<PolicyQuestion.Connect>(policy);
        await connection.ExpectSilenceAsync(TimeSpan.Zero);
        Answer(connection, connect, Verdict.Continue);
        var features = await ExpectAsync<PolicyQuestion.SrvFeatures>(policy);
        await connection.ExpectSilenceAsync(TimeSpan.Zero);
        Answer(connection, features, Verdict.Continue);

        await connection.ExpectReplyAsync(SmtpReplies.Greeting(TestSettings.Hostname));
        Assert.Equal(("[127.0.0.1]", "127.0.0.1"), (connect.Question.ClientName, connect.Question.ClientAddr));
        Assert.Equal(("[127.0.0.1]", "127.0.0.1"), (features.Question.ClientName, features.Question.ClientAddr));
        Assert.NotEqual(connect.Id, features.Id);
    }

    [Fact]
    public async Task A_connect_refusal_restricts_the_session_and_nothing_more_is_asked()
    {
        var policy = CreateTestProbe();
        var connection = await OpenAsync(policy, connect: Verdict.Reject(550, "5.7.1", "Access denied"));
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nNOOP\r\nQUIT\r\n");

        var refused = await connection.ExpectReplyAsync();
        Assert.Equal("550 5.7.1 Access denied\r\n", refused.Wire);
        Assert.Equal("550 5.7.1 Access denied\r\n", (await connection.ExpectReplyAsync()).Wire);
        await connection.ExpectRepliesAsync(SmtpReplies.Ok, SmtpReplies.Closing(TestSettings.Hostname));
        await connection.ExpectClosedAsync();
        await policy.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Srv_features_decides_whether_ehlo_offers_starttls(bool? offer, bool advertised)
    {
        var policy = CreateTestProbe();
        var connection = await OpenAsync(policy, features: new ServerFeatures(offer, null), settings: TestTls.Offered());
        await connection.ExpectReplyAsync(220);

        await connection.SendAsync("EHLO client.example\r\n");

        var ehlo = await connection.ExpectReplyAsync(250);
        Assert.Equal(advertised, ehlo.Lines.Contains("STARTTLS"));
    }

    [Fact]
    public async Task Starttls_hidden_by_srv_features_is_answered_454()
    {
        var policy = CreateTestProbe();
        var connection = await OpenAsync(policy, features: new ServerFeatures(false, null), settings: TestTls.Offered());
        await connection.HelloAsync();

        await connection.SendAsync("STARTTLS\r\nNOOP\r\n");

        var refused = await connection.ExpectReplyAsync(SmtpReplies.TlsNotAvailable);
        Assert.Equal("454 4.3.3 TLS not available after start\r\n", refused.Wire);
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
    }

    [Fact]
    public async Task Mail_asks_tls_client_then_from_and_pipelined_commands_are_answered_in_order_after_the_verdicts()
    {
        var policy = CreateTestProbe();
        var connection = await OpenAsync(policy);
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nNOOP\r\n");

        var tls = await ExpectAsync<PolicyQuestion.TlsClient>(policy);
        Assert.Equal(("MAIL", "", "[127.0.0.1]", "127.0.0.1"), (tls.Question.When, tls.Question.Input.Verify, tls.Question.ClientName, tls.Question.ClientAddr));
        await connection.ExpectSilenceAsync(TimeSpan.Zero);
        Answer(connection, tls, Verdict.Continue);
        var from = await ExpectAsync<PolicyQuestion.From>(policy);
        Assert.Equal("a@example.net", from.Question.Sender);
        await connection.ExpectSilenceAsync(TimeSpan.Zero);
        Answer(connection, from, Verdict.Continue);
        var to = await ExpectAsync<PolicyQuestion.To>(policy);
        Assert.Equal(("b@example.org", true, false, ""), (to.Question.Recipient, to.Question.Local, to.Question.ClientMayRelay, to.Question.Verify));
        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
        await connection.ExpectSilenceAsync(TimeSpan.Zero);
        Assert.Equal(0, connection.UnreadReplies);
        Answer(connection, to, Verdict.Continue);
        await connection.ExpectRepliesAsync(SmtpReplies.RecipientOk, SmtpReplies.Ok);
    }

    [Fact]
    public async Task A_tls_client_refusal_at_mail_is_answered_with_its_reply_from_is_not_asked_and_the_next_mail_is_checked_again()
    {
        var policy = CreateTestProbe();
        var connection = await OpenAsync(policy);
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");
        Answer(connection, await ExpectAsync<PolicyQuestion.TlsClient>(policy), Verdict.Reject(403, "4.7.0", "not authenticated"));

        Assert.Equal("403 4.7.0 not authenticated\r\n", (await connection.ExpectReplyAsync()).Wire);
        await policy.ExpectNoMsgAsync(TimeSpan.Zero);
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");
        Answer(connection, await ExpectAsync<PolicyQuestion.TlsClient>(policy), Verdict.Continue);
        Answer(connection, await ExpectAsync<PolicyQuestion.From>(policy), Verdict.Continue);
        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
    }

    [Fact]
    public async Task A_relay_verdict_at_rcpt_accepts_a_remote_domain_and_a_reject_gets_its_reply()
    {
        var policy = CreateTestProbe();
        var connection = await MailAcceptedAsync(policy);

        await connection.SendAsync("RCPT TO:<c@elsewhere.example>\r\nRCPT TO:<d@elsewhere.example>\r\n");

        var relay = await ExpectAsync<PolicyQuestion.To>(policy);
        Assert.Equal(("c@elsewhere.example", false), (relay.Question.Recipient, relay.Question.Local));
        Answer(connection, relay, new Verdict(VerdictKind.Relay));
        Answer(connection, await ExpectAsync<PolicyQuestion.To>(policy), Verdict.Reject(550, "5.7.1", "<d@elsewhere.example>... Relaying denied"));
        await connection.ExpectReplyAsync(SmtpReplies.RecipientOk);
        Assert.Equal("550 5.7.1 <d@elsewhere.example>... Relaying denied\r\n", (await connection.ExpectReplyAsync()).Wire);
    }

    [Fact]
    public async Task A_connect_relay_verdict_tells_the_rcpt_check_that_the_client_may_relay()
    {
        var policy = CreateTestProbe();
        var connection = await MailAcceptedAsync(policy, connect: new Verdict(VerdictKind.Relay));

        await connection.SendAsync("RCPT TO:<c@elsewhere.example>\r\n");

        Assert.True((await ExpectAsync<PolicyQuestion.To>(policy)).Question.ClientMayRelay);
    }

    [Fact]
    public async Task An_answer_with_another_id_is_ignored()
    {
        var policy = CreateTestProbe();
        var connection = await OpenAsync(policy);
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");
        var tls = await ExpectAsync<PolicyQuestion.TlsClient>(policy);

        connection.Session.Tell(new PolicyProtocol.PolicyVerdict(tls.Id + 1000, Answer(Verdict.Reject(550, "5.7.1", "wrong question"))));
        connection.Session.Tell(new PolicyProtocol.PolicyVerdict(tls.Id - 1, Answer(Verdict.Reject(550, "5.7.1", "old question"))));
        Answer(connection, tls, Verdict.Continue);

        Answer(connection, await ExpectAsync<PolicyQuestion.From>(policy), Verdict.Continue);
        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
    }

    [Fact]
    public async Task No_answer_at_mail_within_the_policy_timeout_is_451_and_a_late_answer_is_ignored()
    {
        var policy = CreateTestProbe();
        var connection = await OpenPreAnsweredAsync(policy, WithPolicy(policy));
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");
        var unanswered = await ExpectAsync<PolicyQuestion.TlsClient>(policy);
        _time.Advance(PolicyTimeout);

        var reply = await connection.ExpectReplyAsync();

        Assert.Equal(TempFailure, reply.Wire);
        await policy.ExpectNoMsgAsync(TimeSpan.Zero);
        Answer(connection, unanswered, Verdict.Reject(550, "5.7.1", "too late"));
        await connection.SendAsync("NOOP\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
        Assert.Equal(0, connection.UnreadReplies);
    }

    [Fact]
    public async Task No_answer_to_connect_within_the_policy_timeout_restricts_the_session_with_451()
    {
        var policy = CreateTestProbe();
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), WithPolicy(policy));
        await ExpectAsync<PolicyQuestion.Connect>(policy);
        _time.Advance(PolicyTimeout);
        await ExpectAsync<PolicyQuestion.SrvFeatures>(policy);
        _time.Advance(PolicyTimeout);
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");

        Assert.Equal(TempFailure, (await connection.ExpectReplyAsync()).Wire);
        await policy.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    // SPEC R63: srv_features tempfail → restricted mode with sendmail's "450 4.3.0 Please try again later."
    [Fact]
    public async Task No_answer_to_srv_features_within_the_policy_timeout_restricts_the_session_with_450()
    {
        var policy = CreateTestProbe();
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), WithPolicy(policy));
        connection.Session.Tell(new PolicyProtocol.PolicyVerdict(1, Answer(Verdict.Continue)));
        Assert.Equal(1, (await ExpectAsync<PolicyQuestion.Connect>(policy)).Id);
        await ExpectAsync<PolicyQuestion.SrvFeatures>(policy);
        _time.Advance(PolicyTimeout);
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");

        Assert.Equal("450 4.3.0 Please try again later.\r\n", (await connection.ExpectReplyAsync()).Wire);
        await policy.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task An_answer_just_before_the_policy_timeout_is_taken()
    {
        var policy = CreateTestProbe();
        var connection = await OpenPreAnsweredAsync(policy, WithPolicy(policy));
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");
        var tls = await ExpectAsync<PolicyQuestion.TlsClient>(policy);

        // Had the timer fired early, its 451 would already be decided before this answer is read.
        _time.Advance(PolicyTimeout - TimeSpan.FromMilliseconds(1));
        Answer(connection, tls, Verdict.Continue);
        Answer(connection, await ExpectAsync<PolicyQuestion.From>(policy), Verdict.Continue);

        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
    }

    [Fact]
    public async Task A_clock_stepped_forward_does_not_time_out_a_question_just_asked()
    {
        var policy = CreateTestProbe();
        var connection = await OpenPreAnsweredAsync(policy, WithPolicy(policy));
        await connection.HelloAsync();
        _time.Advance(PolicyTimeout / 2);
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");
        var tls = await ExpectAsync<PolicyQuestion.TlsClient>(policy);

        // The conversation's one timer fires now, half a timeout after this question was asked.
        _time.StepWallClock(TimeSpan.FromHours(1));
        _time.Advance(PolicyTimeout / 2);
        Answer(connection, tls, Verdict.Continue);
        Answer(connection, await ExpectAsync<PolicyQuestion.From>(policy), Verdict.Continue);

        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
    }

    [Fact]
    public async Task A_clock_stepped_back_does_not_hold_an_unanswered_question_past_the_policy_timeout()
    {
        var policy = CreateTestProbe();
        var connection = await OpenPreAnsweredAsync(policy, WithPolicy(policy));
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");
        await ExpectAsync<PolicyQuestion.TlsClient>(policy);

        _time.StepWallClock(TimeSpan.FromHours(-1));
        _time.Advance(PolicyTimeout);

        Assert.Equal(TempFailure, (await connection.ExpectReplyAsync()).Wire);
    }

    [Fact]
    public async Task A_discard_verdict_at_mail_answers_the_message_250_and_commits_nothing()
    {
        var policy = CreateTestProbe();
        var spool = new InMemorySpool();
        var queue = CreateTestProbe();
        var connection = await OpenAsync(policy, spool: spool, queue: queue);
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nSubject: hi\r\n\r\nHello\r\n.\r\n");
        Answer(connection, await ExpectAsync<PolicyQuestion.TlsClient>(policy), Verdict.Continue);
        Answer(connection, await ExpectAsync<PolicyQuestion.From>(policy), new Verdict(VerdictKind.Discard));
        Answer(connection, await ExpectAsync<PolicyQuestion.To>(policy), Verdict.Continue);

        await connection.ExpectRepliesAsync(SmtpReplies.SenderOk, SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        Assert.Empty(spool.Ids);
        await queue.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_discard_verdict_at_connect_answers_every_message_250_and_commits_nothing()
    {
        var policy = CreateTestProbe();
        var spool = new InMemorySpool();
        var queue = CreateTestProbe();
        var connection = await MailAcceptedAsync(policy, new Verdict(VerdictKind.Discard), spool, queue);

        await connection.SendAsync("RCPT TO:<b@example.org>\r\nDATA\r\nHello\r\n.\r\n");
        Answer(connection, await ExpectAsync<PolicyQuestion.To>(policy), Verdict.Continue);

        await connection.ExpectRepliesAsync(SmtpReplies.RecipientOk, SmtpReplies.StartMailInput, SmtpReplies.Queued("m1"));
        Assert.Empty(spool.Ids);
        await queue.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_tls_client_refusal_after_the_handshake_restricts_the_session_and_tls_stays_up()
    {
        var policy = CreateTestProbe();
        var connection = await OpenAsync(policy, settings: TestTls.Offered());
        await connection.HelloAsync();
        await connection.SendAsync("STARTTLS\r\n");
        await connection.ExpectReplyAsync(SmtpReplies.ReadyToStartTls);

        var handshake = connection.HandshakeAsync(new TlsClientPeer(ProtocolVersion.TLSv13));
        var tls = await ExpectAsync<PolicyQuestion.TlsClient>(policy);
        Answer(connection, tls, Verdict.Reject(403, "4.7.0", "encryption too weak 0 less than 128"));
        await handshake;

        await connection.SendAsync("EHLO client.example\r\nMAIL FROM:<a@example.net>\r\nNOOP\r\n");

        Assert.Equal(("STARTTLS", "NO"), (tls.Question.When, tls.Question.Input.Verify));
        Assert.DoesNotContain("STARTTLS", (await connection.ExpectReplyAsync(250)).Lines);
        Assert.Equal("403 4.7.0 encryption too weak 0 less than 128\r\n", (await connection.ExpectReplyAsync()).Wire);
        await connection.ExpectReplyAsync(SmtpReplies.Ok);
        await policy.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task Without_a_policy_nothing_is_asked_and_a_remote_recipient_is_refused_relaying()
    {
        var policy = CreateTestProbe();
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe());
        await connection.HelloAsync();

        await connection.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<c@elsewhere.example>\r\nRCPT TO:<b@example.org>\r\n");

        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
        Assert.Equal("550 5.7.1 <c@elsewhere.example>... Relaying denied\r\n", (await connection.ExpectReplyAsync()).Wire);
        await connection.ExpectReplyAsync(SmtpReplies.RecipientOk);
        await policy.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    private ConnectionSettings WithPolicy(TestProbe policy, ConnectionSettings? settings = null) =>
        (settings ?? TestSettings.Connection) with { Policy = policy.Ref, PolicyTimeout = PolicyTimeout, Clock = _time.Clock };

    private static PolicyAnswer Answer(Verdict verdict) => new(verdict, []);

    private static void Answer<T>(FakeConnection connection, Asked<T> question, Verdict verdict)
        where T : PolicyQuestion =>
        connection.Session.Tell(new PolicyProtocol.PolicyVerdict(question.Id, Answer(verdict)));

    /// <summary>The next question the connection asks, which must be a <typeparamref name="T"/>.</summary>
    private static async Task<Asked<T>> ExpectAsync<T>(TestProbe policy)
        where T : PolicyQuestion
    {
        var check = await policy.ExpectMsgAsync<PolicyProtocol.CheckPolicy>();
        return new Asked<T>(check.Id, Assert.IsType<T>(check.Question));
    }

    /// <summary>A question as asked: its id (the answer repeats it) and what it asks.</summary>
    private sealed record Asked<T>(long Id, T Question)
        where T : PolicyQuestion;

    /// <summary>Opens a connection and answers Connect: and Srv_Features: as they are asked.</summary>
    private async Task<FakeConnection> OpenAsync(
        TestProbe policy, Verdict? connect = null, ServerFeatures? features = null, ConnectionSettings? settings = null, ISpool? spool = null, TestProbe? queue = null)
    {
        var connection = FakeConnection.Open(this, spool ?? new InMemorySpool(), queue ?? CreateTestProbe(), WithPolicy(policy, settings));
        Answer(connection, await ExpectAsync<PolicyQuestion.Connect>(policy), connect ?? Verdict.Continue);
        var srvFeatures = await ExpectAsync<PolicyQuestion.SrvFeatures>(policy);
        connection.Session.Tell(new PolicyProtocol.PolicyVerdict(srvFeatures.Id, Answer(Verdict.Continue) with { Features = features ?? ServerFeatures.Default }));
        return connection;
    }

    /// <summary>
    /// With a short policy timeout the two opening answers must not race it: they are sent before the questions
    /// arrive (ids 1 and 2), and reach the actor only after its PreStart has asked question 1.
    /// </summary>
    private async Task<FakeConnection> OpenPreAnsweredAsync(TestProbe policy, ConnectionSettings settings)
    {
        var connection = FakeConnection.Open(this, new InMemorySpool(), CreateTestProbe(), settings);
        connection.Session.Tell(new PolicyProtocol.PolicyVerdict(1, Answer(Verdict.Continue)));
        connection.Session.Tell(new PolicyProtocol.PolicyVerdict(2, Answer(Verdict.Continue)));
        Assert.Equal(1, (await ExpectAsync<PolicyQuestion.Connect>(policy)).Id);
        Assert.Equal(2, (await ExpectAsync<PolicyQuestion.SrvFeatures>(policy)).Id);
        return connection;
    }

    /// <summary>Greeting, EHLO, and a MAIL whose tls_client and From: checks both said Continue.</summary>
    private async Task<FakeConnection> MailAcceptedAsync(TestProbe policy, Verdict? connect = null, ISpool? spool = null, TestProbe? queue = null)
    {
        var connection = await OpenAsync(policy, connect, spool: spool, queue: queue);
        await connection.HelloAsync();
        await connection.SendAsync("MAIL FROM:<a@example.net>\r\n");
        Answer(connection, await ExpectAsync<PolicyQuestion.TlsClient>(policy), Verdict.Continue);
        Answer(connection, await ExpectAsync<PolicyQuestion.From>(policy), Verdict.Continue);
        await connection.ExpectReplyAsync(SmtpReplies.SenderOk);
        return connection;
    }
}
