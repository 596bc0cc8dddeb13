using System.Net;
using HyperSwarm.Protocol.Grpc;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class ClientStatusMappingTests
{
    [Theory]
    [InlineData(400, GrpcStatusCode.Internal)]
    [InlineData(401, GrpcStatusCode.Unauthenticated)]
    [InlineData(403, GrpcStatusCode.PermissionDenied)]
    [InlineData(404, GrpcStatusCode.Unimplemented)]
    [InlineData(429, GrpcStatusCode.Unavailable)]
    [InlineData(502, GrpcStatusCode.Unavailable)]
    [InlineData(503, GrpcStatusCode.Unavailable)]
    [InlineData(504, GrpcStatusCode.Unavailable)]
    [InlineData(415, GrpcStatusCode.Unknown)]
    public void Http_statuses_of_non_grpc_answers_map_as_the_spec_says(int http, GrpcStatusCode expected)
    {
        Assert.Equal(expected, ClientStatusMapping.FromHttpStatus((HttpStatusCode)http).Code);
    }

    [Theory]
    [InlineData(0x0, GrpcStatusCode.Internal)]
    [InlineData(0x2, GrpcStatusCode.Internal)]
    [InlineData(0x7, GrpcStatusCode.Unavailable)]
    [InlineData(0x8, GrpcStatusCode.Cancelled)]
    [InlineData(0xB, GrpcStatusCode.ResourceExhausted)]
    [InlineData(0xC, GrpcStatusCode.PermissionDenied)]
    public void Rst_stream_codes_map_as_the_spec_says(long code, GrpcStatusCode expected)
    {
        Assert.Equal(expected, ClientStatusMapping.FromResetCode(code, "reset").Code);
    }

    [Fact]
    public void Status_headers_are_parsed_and_junk_is_unknown()
    {
        var headers = new HttpResponseMessage().Headers;
        headers.TryAddWithoutValidation("grpc-status", "3");
        headers.TryAddWithoutValidation("grpc-message", "bad %25");
        var junk = new HttpResponseMessage().Headers;
        junk.TryAddWithoutValidation("grpc-status", "abc");

        Assert.Equal(new GrpcStatus(GrpcStatusCode.InvalidArgument, "bad %"), ClientStatusMapping.FromHeaders(headers));
        Assert.Equal(GrpcStatusCode.Unknown, ClientStatusMapping.FromHeaders(junk)!.Value.Code);
        Assert.Null(ClientStatusMapping.FromHeaders(new HttpResponseMessage().Headers));
    }

    [Fact]
    public void Other_transport_failures_are_unavailable()
    {
        Assert.Equal(GrpcStatusCode.Unavailable, ClientStatusMapping.FromTransport(new HttpRequestException("refused")).Code);
    }
}
