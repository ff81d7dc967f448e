using System.Text;
using Gateway.Protocol.Client;

namespace Gateway.Protocol.Tests.Client;

public sealed class DotStuffingTests
{
    [Theory]
    [InlineData("Subject: x\r\n\r\nbody\r\n", "Subject: x\r\n\r\nbody\r\n.\r\n")]
    [InlineData(".\r\n", "..\r\n.\r\n")]
    [InlineData("a\r\n.\r\n..b\r\n", "a\r\n..\r\n...b\r\n.\r\n")]
    [InlineData("no final line end", "no final line end\r\n.\r\n")]
    [InlineData("", ".\r\n")]
    [InlineData("x.\r\n.y", "x.\r\n..y\r\n.\r\n")]
    public void Every_line_starting_with_a_dot_gets_a_second_one_and_the_data_ends_with_a_dot_line(string content, string sent) =>
        Assert.Equal(sent, Encoding.ASCII.GetString(DotStuffing.Stuff(Encoding.ASCII.GetBytes(content))));
}
