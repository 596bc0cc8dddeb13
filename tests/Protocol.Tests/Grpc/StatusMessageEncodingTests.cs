using HyperSwarm.Protocol.Grpc;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class StatusMessageEncodingTests
{
    [Fact]
    public void Printable_ascii_is_left_alone()
    {
        Assert.Equal("Method not found!", StatusMessageEncoding.Encode("Method not found!"));
    }

    [Fact]
    public void Percent_and_non_ascii_are_escaped_as_utf8()
    {
        Assert.Equal("bad %25 %C3%BCn%C3%AFc%C3%B8d%C3%A9", StatusMessageEncoding.Encode("bad % ünïcødé"));
        Assert.Equal("a%0Ab", StatusMessageEncoding.Encode("a\nb"));
    }

    [Theory]
    [InlineData("bad % ünïcødé")]
    [InlineData("%%%")]
    [InlineData("emoji 🚀 and tab\t")]
    [InlineData("")]
    public void Decode_reverses_encode(string message)
    {
        Assert.Equal(message, StatusMessageEncoding.Decode(StatusMessageEncoding.Encode(message)));
    }

    [Theory]
    [InlineData("100%", "100%")]
    [InlineData("%zz and %4", "%zz and %4")]
    [InlineData("%", "%")]
    [InlineData("%41%", "A%")]
    public void Bad_escapes_are_kept_literally(string wire, string expected)
    {
        Assert.Equal(expected, StatusMessageEncoding.Decode(wire));
    }
}
