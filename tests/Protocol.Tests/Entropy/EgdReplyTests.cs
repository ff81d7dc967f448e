using Gateway.Protocol.Entropy;

namespace Gateway.Protocol.Tests.Entropy;

/// <summary>SPEC R77/R78: the client side of the EGD read (<c>01 FF</c>, count byte, bytes), fed as bytes arrive.</summary>
public class EgdReplyTests
{
    [Fact]
    public void The_request_is_read_non_blocking_255_bytes()
    {
        Assert.Equal(new byte[] { 0x01, 0xFF }, EgdReply.ReadRequest.ToArray());
    }

    [Fact]
    public void Normal_a_full_pool_gives_a_seed_of_255_bytes()
    {
        var reply = new EgdReply();

        reply.Offer(Wire(0xFF, 255));

        Assert.True(reply.Done);
        Assert.Null(reply.Failure);
        Assert.Equal(Random(255), reply.Seed);
    }

    [Fact]
    public void Normal_split_at_every_point_gives_the_same_seed()
    {
        var wire = Wire(0xFF, 255);

        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var reply = new EgdReply();

            reply.Offer(wire.AsSpan(0, cut));
            var doneEarly = reply.Done;
            reply.Offer(wire.AsSpan(cut));

            Assert.Equal(cut == wire.Length, doneEarly);
            Assert.Null(reply.Failure);
            Assert.Equal(Random(255), reply.Seed);
        }
    }

    [Fact]
    public void Normal_split_at_every_pair_of_points_gives_the_same_seed()
    {
        var wire = Wire(0xFF, 255);

        for (var first = 0; first <= wire.Length; first++)
        {
            for (var second = first; second <= wire.Length; second++)
            {
                var reply = new EgdReply();

                reply.Offer(wire.AsSpan(0, first));
                reply.Offer(wire.AsSpan(first, second - first));
                reply.Offer(wire.AsSpan(second));

                Assert.Equal(255, reply.Seed?.Length);
            }
        }
    }

    [Fact]
    public void Normal_one_byte_per_call_is_not_done_until_the_last_byte()
    {
        var wire = Wire(0xFF, 255);
        var reply = new EgdReply();

        foreach (var b in wire[..^1])
        {
            reply.Offer([b]);
            Assert.False(reply.Done);
        }

        reply.Offer([wire[^1]]);

        Assert.Null(reply.Failure);
        Assert.Equal(Random(255), reply.Seed);
    }

    [Fact]
    public void Partly_drained_pool_with_64_bytes_seeds()
    {
        var reply = new EgdReply();

        reply.Offer(Wire(0x40, 64));

        Assert.Null(reply.Failure);
        Assert.Equal(Random(64), reply.Seed);
    }

    [Fact]
    public void Exactly_32_bytes_seed()
    {
        var reply = new EgdReply();

        reply.Offer(Wire(0x20, 32));

        Assert.Null(reply.Failure);
        Assert.Equal(Random(32), reply.Seed);
    }

    [Theory]
    [InlineData(0x10)]
    [InlineData(0x1F)]
    [InlineData(0x01)]
    public void Fewer_than_32_bytes_announced_and_delivered_fail_without_waiting_for_the_close(byte count)
    {
        var reply = new EgdReply();

        reply.Offer(Wire(count, count));

        Assert.True(reply.Done);
        Assert.Null(reply.Seed);
        Assert.Equal($"only {count} bytes (at least 32 needed)", reply.Failure);
    }

    [Fact]
    public void Empty_pool_count_zero_fails_at_once()
    {
        var reply = new EgdReply();

        reply.Offer([0x00]);

        Assert.True(reply.Done);
        Assert.Null(reply.Seed);
        Assert.Equal("the daemon's pool is empty (count 0)", reply.Failure);
    }

    [Fact]
    public void Short_read_then_close_fails_and_says_how_many_of_how_many()
    {
        var reply = new EgdReply();
        reply.Offer(Wire(0x20, 10));
        Assert.False(reply.Done);

        reply.EndOfStream();

        Assert.Null(reply.Seed);
        Assert.Contains("10 of 32", reply.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void At_least_32_bytes_received_but_fewer_than_announced_is_still_a_short_read()
    {
        var reply = new EgdReply();
        reply.Offer(Wire(0x40, 40));

        reply.EndOfStream();

        Assert.Null(reply.Seed);
        Assert.Contains("40 of 64", reply.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_after_the_count_byte_alone_is_a_short_read()
    {
        var reply = new EgdReply();
        reply.Offer([0xFF]);

        reply.EndOfStream();

        Assert.Null(reply.Seed);
        Assert.Contains("0 of 255", reply.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_with_nothing_received_fails()
    {
        var reply = new EgdReply();
        Assert.False(reply.Done);

        reply.EndOfStream();

        Assert.True(reply.Done);
        Assert.Null(reply.Seed);
        Assert.Equal("the daemon closed the connection without a reply", reply.Failure);
    }

    [Fact]
    public void Bytes_after_the_announced_count_are_ignored_in_the_same_call_and_later()
    {
        var reply = new EgdReply();

        reply.Offer([.. Wire(0x40, 64), 0xAA, 0xBB, 0xCC]);
        reply.Offer([0xDD, 0xEE]);
        reply.EndOfStream();

        Assert.Null(reply.Failure);
        Assert.Equal(Random(64), reply.Seed);
    }

    [Fact]
    public void Bytes_after_an_empty_pool_are_ignored()
    {
        var reply = new EgdReply();

        reply.Offer([0x00, .. Wire(0xFF, 255)]);
        reply.EndOfStream();

        Assert.Null(reply.Seed);
        Assert.Equal("the daemon's pool is empty (count 0)", reply.Failure);
    }

    [Fact]
    public void Nothing_offered_yet_is_not_done()
    {
        var reply = new EgdReply();

        reply.Offer([]);

        Assert.False(reply.Done);
        Assert.Null(reply.Seed);
        Assert.Null(reply.Failure);
    }

    /// <summary>A reply: the count byte, then <paramref name="delivered"/> bytes of <see cref="Random"/>.</summary>
    private static byte[] Wire(byte count, int delivered) => [count, .. Random(delivered)];

    // Distinct, deterministic bytes, so a lost, repeated or shifted byte shows.
    private static byte[] Random(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3))];
}
