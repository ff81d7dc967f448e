using System.Text;
using System.Text.Json;
using Gateway.Protocol.Status;

namespace Gateway.Protocol.Tests.Status;

public sealed class StatusJsonTests
{
    private static NodeStatus Full() => ClusterStatusTests.Record("akka.tcp://gateway@a:4053", open: 3, tls: 2, accepted: 7) with
    {
        Verify = new Dictionary<string, long> { ["NO"] = 5, ["OK"] = 2 },
        Queue = new QueueSummary(1, 2, 3, 4, new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), [new DestinationSummary("example.net", 2, 3, null, "451 4.4.1 <b>refused</b>")]),
        Map = new MapSummary(3, "0123456789abcdef", 12, "/etc/mail/access", new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)),
        History = StatusSeries.Empty().Append(1, 2, 3).Append(4, 5, 6),
    };

    [Fact]
    public void A_node_record_reads_back_equal_in_every_field()
    {
        var record = Full();
        var back = StatusJson.ReadNode(StatusJson.Write(record))!;

        // Records compare lists by reference: compare the collections apart, then the rest.
        Assert.Equal(record.Verify, back.Verify);
        Assert.Equal(record.Queue.Destinations, back.Queue.Destinations);
        Assert.Equal(record.History.Sessions, back.History.Sessions);
        Assert.Equal(record.History.Messages, back.History.Messages);
        Assert.Equal(record.History.Handshakes, back.History.Handshakes);
        Assert.Equal(record with { Verify = back.Verify, Queue = back.Queue with { Destinations = record.Queue.Destinations }, History = back.History }, back with { Queue = back.Queue with { Destinations = record.Queue.Destinations } });
    }

    [Fact]
    public void Names_are_camel_case_and_derived_figures_are_written_for_readers()
    {
        var json = JsonDocument.Parse(StatusJson.Write(Full())).RootElement;

        Assert.Equal(3, json.GetProperty("sessions").GetProperty("open").GetInt32());
        Assert.Equal(2.0 / 3, json.GetProperty("sessions").GetProperty("tlsShare").GetDouble(), 6);
        Assert.Equal(10, json.GetProperty("queue").GetProperty("messages").GetInt32());
        Assert.Equal("451 4.4.1 <b>refused</b>", json.GetProperty("queue").GetProperty("destinations")[0].GetProperty("lastError").GetString());
        Assert.Equal(5, json.GetProperty("verify").GetProperty("NO").GetInt64());
    }

    [Fact]
    public void The_cluster_view_reads_back()
    {
        var cluster = ClusterStatus.Of(
            "akka.tcp://gateway@a:4053",
            DateTimeOffset.UnixEpoch,
            [new ClusterStatus.Member("a#1", "akka.tcp://gateway@a:4053", "up", true)],
            new Dictionary<string, ClusterStatus.Received> { ["a#1"] = new(Full(), DateTimeOffset.UnixEpoch) },
            TimeSpan.FromSeconds(8));

        var back = StatusJson.ReadCluster(Encoding.UTF8.GetString(StatusJson.Write(cluster)));

        Assert.Equal(cluster.Totals, back.Totals);
        Assert.Equal(cluster.Observer, back.Observer);
        Assert.Equal("0123456789abcdef", back.Nodes[0].Status!.Map!.Digest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    public void Text_that_is_not_a_record_is_skipped(string text) => Assert.Null(StatusJson.ReadNode(text));

    [Fact]
    public void Text_that_is_not_a_cluster_view_is_an_error() =>
        Assert.Throws<JsonException>(() => StatusJson.ReadCluster("null"));
}
