using System.Net;
using Gateway.Tests.Support;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// The node's caps (Smtp:MaxConnections) and the per-client limits (Smtp:MaxConnectionsPerClient,
/// Smtp:MaxConnectionRatePerClient) with their exemptions (Smtp:ClientLimitExceptions, loopback by default), on one
/// node; ClientLimitClusterTests counts them across three.
/// </summary>
public sealed class ConnectionLimitTests
{
    /// <summary>These tests connect from loopback, which is exempt by default: the switch empties the list.</summary>
    internal const string NoExceptions = "--Smtp:ClientLimitExceptions:0=";

    [Fact]
    public async Task A_client_over_its_connection_cap_gets_421_4_7_0_and_others_still_get_in()
    {
        await using var node = await TestNode.StartAsync("--Smtp:MaxConnectionsPerClient=2", NoExceptions);
        await using var first = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.5"));
        await using var second = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.5"));
        Assert.StartsWith("220 ", await first.ReadReplyAsync());
        Assert.StartsWith("220 ", await second.ReadReplyAsync());

        await using var third = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.5"));
        await using var other = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.6"));

        Assert.StartsWith("421 4.7.0 ", await third.ReadReplyAsync());
        Assert.True(await third.ClosedWithoutReplyAsync());
        Assert.StartsWith("220 ", await other.ReadReplyAsync());
    }

    [Fact]
    public async Task A_connection_over_the_node_cap_gets_421_4_3_2_and_a_freed_slot_is_reused()
    {
        await using var node = await TestNode.StartAsync("--Smtp:MaxConnections=1");
        var first = await SmtpStream.ConnectAsync(node.Smtp);
        Assert.StartsWith("220 ", await first.ReadReplyAsync());

        await using (var refused = await SmtpStream.ConnectAsync(node.Smtp))
        {
            Assert.StartsWith("421 4.3.2 ", await refused.ReadReplyAsync());
        }

        Assert.StartsWith("221 ", await first.CommandAsync("QUIT"));
        Assert.True(await first.ClosedWithoutReplyAsync());
        await first.DisposeAsync();

        // The slot is freed once the session has answered QUIT; the retry covers a scheduler slower than the client.
        var greeting = await Eventually.UntilAsync(
            async () =>
            {
                await using var again = await SmtpStream.ConnectAsync(node.Smtp);
                return await again.ReadReplyAsync();
            },
            g => g?.StartsWith("421", StringComparison.Ordinal) == false,
            "a greeting once the first session's slot is freed",
            TimeSpan.FromSeconds(10));

        Assert.StartsWith("220 ", greeting);
    }

    [Fact]
    public async Task A_client_at_its_limit_that_QUITs_and_reconnects_at_once_is_served_every_time()
    {
        await using var node = await TestNode.StartAsync("--Smtp:MaxConnectionsPerClient=1", NoExceptions);
        for (var i = 0; i < 30; i++)
        {
            await using var session = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.7"));
            Assert.StartsWith("220 ", await session.ReadReplyAsync());
            Assert.StartsWith("221 ", await session.CommandAsync("QUIT"));
        }
    }

    [Fact]
    public async Task Loopback_clients_are_exempt_by_default_as_Postfix_exempts_mynetworks()
    {
        await using var node = await TestNode.StartAsync("--Smtp:MaxConnectionsPerClient=1", "--Smtp:MaxConnectionRatePerClient=1");
        await using var first = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.5"));
        Assert.StartsWith("220 ", await first.ReadReplyAsync());

        await using var second = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.5"));
        Assert.StartsWith("220 ", await second.ReadReplyAsync());
    }

    [Fact]
    public async Task A_client_over_its_connection_rate_gets_421_4_7_0_even_after_its_sessions_ended()
    {
        await using var node = await TestNode.StartAsync("--Smtp:MaxConnectionRatePerClient=3", NoExceptions);
        for (var i = 0; i < 3; i++)
        {
            await using var session = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.9"));
            Assert.StartsWith("220 ", await session.ReadReplyAsync());
            Assert.StartsWith("221 ", await session.CommandAsync("QUIT"));
        }

        await using var fourth = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.9"));
        Assert.Equal("421 4.7.0 mx.test.example Too many connections from your address: more than 3 per minute; try again later", await fourth.ReadReplyAsync());

        // Another client has its own count.
        await using var other = await SmtpStream.ConnectAsync(node.Smtp, IPAddress.Parse("127.0.0.10"));
        Assert.StartsWith("220 ", await other.ReadReplyAsync());
    }
}
