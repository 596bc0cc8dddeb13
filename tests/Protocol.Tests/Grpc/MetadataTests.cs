using HyperSwarm.Protocol.Grpc;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class MetadataTests
{
    [Fact]
    public void Keys_are_lower_cased_and_values_found_by_either_case()
    {
        var metadata = new Metadata().Add("X-Trace", "abc");

        Assert.Equal("x-trace", metadata[0].Key);
        Assert.Equal("abc", metadata.GetValue("X-TRACE"));
    }

    [Theory]
    [InlineData("grpc-status")]
    [InlineData("")]
    [InlineData("bad key")]
    [InlineData("ключ")]
    public void Reserved_or_malformed_keys_are_refused(string key)
    {
        Assert.Throws<ArgumentException>(() => new Metadata().Add(key, "v"));
    }

    [Fact]
    public void Binary_values_need_a_bin_key_and_text_values_must_not_have_one()
    {
        Assert.Throws<ArgumentException>(() => new Metadata().Add("data", [1]));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("data-bin", "text"));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("text", "line\nbreak"));
    }

    [Theory]
    [InlineData("AAEC/w==")]
    [InlineData("AAEC/w")]
    [InlineData("AAEC/w=")]
    public void Binary_values_are_accepted_with_or_without_padding(string wire)
    {
        var metadata = new Metadata();

        metadata.AddFromWire("d-bin", wire);

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, metadata.GetBytes("d-bin"));
    }

    [Fact]
    public void Binary_values_are_sent_without_padding()
    {
        var entry = new Metadata().Add("d-bin", [0, 1, 2, 255])[0];

        Assert.Equal("AAEC/w", Metadata.WireValue(entry));
    }

    [Fact]
    public void Invalid_base64_is_internal()
    {
        var error = Assert.Throws<RpcException>(() => new Metadata().AddFromWire("d-bin", "!!!"));

        Assert.Equal(GrpcStatusCode.Internal, error.StatusCode);
    }
}
