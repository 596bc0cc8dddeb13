using Google.Protobuf;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class GrpcChannelTests
{
    [Fact]
    public async Task Headers_and_response_can_be_awaited_together()
    {
        await using var h = await GrpcHarness.StartAsync();
        var headers = new Metadata().Add("x-echo-a", "1");

        using var call = h.Channel.Unary(TestService.UnaryCall, new SimpleRequest { ResponseSize = 4, SleepMs = 20 }, new CallOptions(headers));
        Task<Metadata> responseHeaders = call.ResponseHeadersAsync;
        Task<SimpleResponse> response = call.ResponseAsync;
        await Task.WhenAll(responseHeaders, response);

        Assert.Equal("1", (await responseHeaders).GetValue("x-echo-a"));
        Assert.Equal(4, (await response).Payload.Length);
    }

    [Fact]
    public async Task Disposing_an_unfinished_stream_cancels_the_server_handler()
    {
        await using var h = await GrpcHarness.StartAsync();
        var request = new StreamingOutputCallRequest { ResponseSizes = { Enumerable.Repeat(1, 1000) }, IntervalMs = 10 };

        var call = h.Channel.ServerStreaming(TestService.StreamingOutputCall, request);
        Assert.True(await call.ResponseStream.MoveNextAsync());
        call.Dispose();

        await h.Service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(GrpcStatusCode.Cancelled, call.GetStatus().Code);
    }

    [Fact]
    public async Task A_request_over_the_send_limit_fails_without_reaching_the_server()
    {
        await using var h = await GrpcHarness.StartAsync(channelOptions: address => new GrpcChannelOptions { Address = address, MaxSendMessageSize = 100 });
        int callsBefore = h.Service.Calls;

        var error = Assert.Throws<RpcException>(() =>
            h.Channel.Unary(TestService.UnaryCall, new SimpleRequest { Payload = ByteString.CopyFrom(new byte[200]) }));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(callsBefore, h.Service.Calls);
    }

    [Fact]
    public async Task Status_is_only_available_once_the_call_has_finished()
    {
        await using var h = await GrpcHarness.StartAsync();

        using var call = h.Channel.DuplexStreaming(TestService.FullDuplexCall);

        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNextAsync());
        Assert.Equal(GrpcStatusCode.Ok, call.GetStatus().Code);
    }

    [Fact]
    public async Task A_server_that_answers_a_client_stream_early_ends_the_call_and_later_writes_fail()
    {
        await using var h = await GrpcHarness.StartAsync(new GrpcServerOptions { MaxReceiveMessageSize = 1000 });

        using var call = h.Channel.ClientStreaming(TestService.StreamingInputCall);
        await call.RequestStream.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[10]) });
        await call.RequestStream.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[5000]) });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        var late = await Assert.ThrowsAsync<RpcException>(() =>
            call.RequestStream.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[10]) }));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(GrpcStatusCode.ResourceExhausted, late.StatusCode);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_unavailable()
    {
        using var channel = new GrpcChannel(new GrpcChannelOptions { Address = new Uri("http://127.0.0.1:1") });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest()));

        Assert.Equal(GrpcStatusCode.Unavailable, error.StatusCode);
    }
}
