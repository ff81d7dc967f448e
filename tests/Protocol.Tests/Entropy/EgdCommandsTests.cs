using Gateway.Protocol.Entropy;

namespace Gateway.Protocol.Tests.Entropy;

/// <summary>SPEC R76/R78: the EGD commands other than the read (entropy level, add entropy, PID).</summary>
public class EgdCommandsTests
{
    [Fact]
    public void The_entropy_level_request_is_command_00_alone()
    {
        Assert.Equal(new byte[] { 0x00 }, EgdCommands.EntropyLevelRequest.ToArray());
    }

    [Fact]
    public void The_pid_request_is_command_04_alone()
    {
        Assert.Equal(new byte[] { 0x04 }, EgdCommands.PidRequest.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00, 0x10, 0x00 }, 4096u)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x01 }, 1u)]
    [InlineData(new byte[] { 0x01, 0x02, 0x03, 0x04 }, 0x01020304u)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, uint.MaxValue)]
    public void The_entropy_level_is_four_bytes_big_endian(byte[] reply, uint bits)
    {
        Assert.Equal(bits, EgdCommands.EntropyLevel(reply));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x00, 0x10, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x00, 0x10, 0x00, 0x00 })]
    public void An_entropy_level_reply_of_another_length_is_malformed(byte[] reply)
    {
        var error = Assert.Throws<FormatException>(() => EgdCommands.EntropyLevel(reply));

        Assert.Equal($"an entropy level reply is 4 bytes, not {reply.Length}", error.Message);
    }

    [Fact]
    public void Add_entropy_is_03_then_the_bits_big_endian_then_the_count_then_the_data()
    {
        byte[] data = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];

        var request = EgdCommands.AddEntropy(0x40, data);

        Assert.Equal([0x03, 0x00, 0x40, 0x08, .. data], request);
    }

    [Fact]
    public void Add_entropy_writes_a_two_byte_estimate_high_byte_first()
    {
        var request = EgdCommands.AddEntropy(0x1234, [0xAB]);

        Assert.Equal(new byte[] { 0x03, 0x12, 0x34, 0x01, 0xAB }, request);
    }

    [Fact]
    public void Add_entropy_takes_up_to_255_bytes()
    {
        var data = new byte[255];
        data.AsSpan().Fill(0x5A);

        var request = EgdCommands.AddEntropy(2040, data);

        Assert.Equal(4 + 255, request.Length);
        Assert.Equal(0xFF, request[3]);
        Assert.Equal(data, request[4..]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    [InlineData(1000)]
    public void Add_entropy_with_no_bytes_or_more_than_255_throws(int length)
    {
        var data = new byte[length];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EgdCommands.AddEntropy(8, data));

        Assert.Equal("data", error.ParamName);
        Assert.Equal(length, error.ActualValue);
        Assert.StartsWith("EGD adds 1 to 255 bytes at a time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pid_reply_is_a_count_then_that_many_ascii_digits()
    {
        Assert.Equal("12345", EgdCommands.Pid([0x05, 0x31, 0x32, 0x33, 0x34, 0x35]));
    }

    [Fact]
    public void A_one_digit_pid_is_read()
    {
        Assert.Equal("7", EgdCommands.Pid([0x01, 0x37]));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x05, 0x31, 0x32 })]
    [InlineData(new byte[] { 0x02, 0x31, 0x32, 0x33 })]
    [InlineData(new byte[] { 0x03, 0x31, 0x41, 0x32 })]
    [InlineData(new byte[] { 0x02, 0x31, 0x20 })]
    [InlineData(new byte[] { 0x02, 0x2D, 0x31 })]
    [InlineData(new byte[] { 0x01, 0xB3 })]
    public void A_malformed_pid_reply_throws(byte[] reply)
    {
        var error = Assert.Throws<FormatException>(() => EgdCommands.Pid(reply));

        Assert.Equal("a PID reply is a count byte followed by that many ASCII digits", error.Message);
    }
}
