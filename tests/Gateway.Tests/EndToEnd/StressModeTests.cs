using System.Net;
using Akka.Actor;
using Gateway.Listener;
using Gateway.Tests.Support;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Postfix's stress mode against slow clients: a session begun while Smtp:StressThreshold percent of
/// Smtp:MaxConnections are open gets Smtp:StressTimeout as its idle and handshake timeouts, so an idle connection
/// (slowloris) frees its slot in seconds; sessions begun before keep the usual 300 s.
/// </summary>
public sealed class StressModeTests
{
    [Fact]
    public async Task Sessions_begun_near_the_limit_time_out_early_and_earlier_ones_do_not()
    {
        await using var node = await TestNode.StartAsync(
            ConnectionLimitTests.NoExceptions, "--Smtp:MaxConnections=4", "--Smtp:StressThreshold=50", "--Smtp:StressTimeout=1");

        // Two sessions (0 and 1 open before each): not under stress.
        await using var first = await OpenAsync(node);
        await using var second = await OpenAsync(node);

        // Two open now, 50 % of 4: the third is begun under stress, and an idle one is told so after 1 s.
        await using var stressed = await OpenAsync(node);
        Assert.StartsWith("421 4.4.2 ", await stressed.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.True(await stressed.ClosedWithoutReplyAsync());

        // A stressed STARTTLS that never sends its ClientHello is closed at the same deadline.
        await using var handshake = await OpenAsync(node);
        Assert.StartsWith("220 ", await handshake.CommandAsync("STARTTLS"), StringComparison.Ordinal);
        Assert.True(await handshake.ClosedWithoutReplyAsync());

        // The earlier sessions were idle longer than the stressed ones' timeout, and are still served.
        Assert.StartsWith("250 ", await first.CommandAsync("NOOP"), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await second.CommandAsync("NOOP"), StringComparison.Ordinal);

        // Below the threshold again (one open), stress is over: a new session keeps the usual timeout, shown by
        // outliving one begun after it, under stress again, which times out.
        Assert.StartsWith("221 ", await second.CommandAsync("QUIT"), StringComparison.Ordinal);
        await Eventually.UntilAsync(
            () => node.Node.System.ActorSelection("/user/node/smtp-listener")
                .Ask<SmtpListener.ClientCounts>(new SmtpListener.GetClientCounts(IPAddress.Loopback), TimeSpan.FromSeconds(5)),
            c => c.Here.Connections == 1,
            "one session open",
            describe: c => c.ToString());
        await using var calm = await OpenAsync(node);
        await using var clock = await OpenAsync(node);
        Assert.StartsWith("421 4.4.2 ", await clock.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await calm.CommandAsync("NOOP"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_16_a_session_begun_under_stress_is_cut_at_the_stress_timeout_though_it_sends_a_byte_at_a_time()
    {
        await using var node = await TestNode.StartAsync(
            ConnectionLimitTests.NoExceptions, "--Smtp:MaxConnections=2", "--Smtp:StressThreshold=50", "--Smtp:StressTimeout=1");
        await using var first = await OpenAsync(node);
        await using var slowloris = await OpenAsync(node);

        // The attack's own pace, not synchronisation: ten bytes per stress timeout of a line that never ends. Were
        // every read to put the idle timer off, the 421 would not come while the bytes do (Postfix's per-record deadline).
        var reply = slowloris.ReadReplyAsync();
        for (var sent = 0; sent < 100 && !reply.IsCompleted; sent++)
        {
            await slowloris.SendAsync("N");
            await Task.WhenAny(reply, Task.Delay(TimeSpan.FromMilliseconds(100)));
        }

        Assert.True(reply.IsCompleted, "no reply while a byte came every 100 ms for 10 s");
        Assert.StartsWith("421 4.4.2 ", await reply, StringComparison.Ordinal);
        Assert.StartsWith("250 ", await first.CommandAsync("NOOP"), StringComparison.Ordinal);
    }

    /// <summary>A session past its greeting and EHLO, left idle.</summary>
    private static async Task<SmtpStream> OpenAsync(TestNode node)
    {
        var smtp = await SmtpStream.ConnectAsync(node.Smtp);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO slow.example"), StringComparison.Ordinal);
        return smtp;
    }
}
