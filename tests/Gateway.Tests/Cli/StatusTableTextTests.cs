using Gateway.Cli;
using Gateway.Protocol.Status;

namespace Gateway.Tests.Cli;

public sealed class StatusTableTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static NodeStatus Record(string host, string address, int open, int tls, long accepted, double rate, MapSummary? map) => new(
        address,
        host,
        "1.0.0+abcdef1",
        Now.AddHours(-26).AddMinutes(-5),
        Now,
        NodeStatus.Serving,
        new SessionCounts(open, tls, 100),
        new TrafficCounts(accepted, 0, 10, 0, rate, 1.25),
        new Dictionary<string, long> { ["NO"] = 7, ["OK"] = 2 },
        QueueSummary.Empty,
        new EntropySummary("ok", "kernel", Now, 1, null),
        map,
        StatusSeries.Empty());

    private static readonly MapSummary Map3 = new(3, "1f2e3d4c5b6a7980", 12, "/etc/mail/access", Now);

    [Fact]
    public void One_row_per_node_then_the_totals_in_aligned_columns()
    {
        var a = "akka.tcp://gateway@10.0.0.1:4053";
        var b = "akka.tcp://gateway@10.0.0.2:4053";
        var c = "akka.tcp://gateway@10.0.0.3:4053";
        var status = new ClusterStatus(
            a,
            Now,
            [
                new ClusterNode(a, "up", true, false, Record("mx1.example", a, 4, 3, 1234, 12.5, Map3) with
                {
                    Queue = QueueSummary.Empty with { Scheduled = 2, Oldest = Now.AddMinutes(-12) },
                }),
                new ClusterNode(b, "up", false, true, Record("mx2.example", b, 0, 0, 5, 0, Map3)),
                new ClusterNode(c, "joining", true, false, null),
            ],
            new ClusterTotals(3, 1, 4, 3, 12.5, 1.25, 1234, 2));

        var lines = StatusTableText.Render(status).Split('\n');

        Assert.Equal("cluster seen from akka.tcp://gateway@10.0.0.1:4053 at 2026-12-07 12:00:00Z", lines[0]);
        Assert.Equal(
        [
            "NODE                  ADDRESS        MEMBER           STATE            SESSIONS  TLS  MSG/S  TLS/S  ACCEPTED  QUEUE  OLDEST  ENTROPY  MAP              UPTIME  VERSION",
            "mx1.example           10.0.0.1:4053  up               serving                 4  75%   12.5    1.3      1234      2  12m 0s  ok       v3 1f2e3d4c5b6a   1d 2h  1.0.0+abcdef1",
            "mx2.example           10.0.0.2:4053  up, unreachable  serving, stale          0    —    0.0    1.3         5      0       —  ok       v3 1f2e3d4c5b6a   1d 2h  1.0.0+abcdef1",
            "—                     10.0.0.3:4053  joining          (no status yet)",
            "total: 3 nodes, 1 up                                                          4  75%   12.5    1.3      1234      2                   same",
        ],
            lines[1..6]);
        Assert.Contains("{verify}: NO 14, OK 4", lines);
    }

    [Fact]
    public void Nodes_on_different_map_versions_stand_out()
    {
        var a = "akka.tcp://gateway@10.0.0.1:4053";
        var b = "akka.tcp://gateway@10.0.0.2:4053";
        var status = new ClusterStatus(
            a,
            Now,
            [
                new ClusterNode(a, "up", true, false, Record("mx1", a, 0, 0, 0, 0, Map3)),
                new ClusterNode(b, "up", true, false, Record("mx2", b, 0, 0, 0, 0, null)),
            ],
            new ClusterTotals(2, 2, 0, 0, 0, 0, 0, 0));

        Assert.Contains("DIFFERENT", StatusTableText.Render(status), StringComparison.Ordinal);
    }

    [Fact]
    public void Destinations_are_listed_with_their_last_error_on_one_line_and_no_terminal_control()
    {
        var a = "akka.tcp://gateway@10.0.0.1:4053";
        var queue = QueueSummary.Empty with
        {
            Scheduled = 3,
            Destinations = [new DestinationSummary("example.net", 3, 5, Now.AddHours(-3).AddMinutes(-5), "451 4.4.1 refused\r\n\u001b[2Jgotcha")],
        };
        var status = new ClusterStatus(
            a,
            Now,
            [new ClusterNode(a, "up", true, false, Record("mx1", a, 0, 0, 0, 0, null) with { Queue = queue })],
            new ClusterTotals(1, 1, 0, 0, 0, 0, 0, 3));

        var text = StatusTableText.Render(status);

        Assert.Contains("  mx1  example.net  3 msg  5 rcpt  oldest 3h 5m  451 4.4.1 refused   [2Jgotcha\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
    }
}
