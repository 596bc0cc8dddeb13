using Google.Protobuf;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Grpc;

/// <summary>Our client against a Debian python3-grpcio server: GRPC.md §1.10 rows 1–11 and 17–18.</summary>
public sealed class InteropClientTests(PythonServerFixture python) : IClassFixture<PythonServerFixture>
{
    private static readonly int[] OutputSizes = [31415, 9, 2653, 58979];
    private static readonly int[] InputSizes = [27182, 8, 1828, 45904];

    private GrpcChannel Channel => python.Channel;

    [Fact]
    public async Task Row01_unary_echo_against_grpcio()
    {
        using var call = Channel.Unary(TestService.UnaryCall, new SimpleRequest { Payload = Bytes(3) });
        var echo = await call.ResponseAsync;
        var empty = await Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest());

        Assert.Equal(3, echo.Payload.Length);
        Assert.True(empty.Payload.IsEmpty);
        Assert.Equal(GrpcStatusCode.Ok, call.GetStatus().Code);
    }

    [Fact]
    public async Task Row02_large_unary_against_grpcio()
    {
        ByteString payload = ByteString.CopyFrom(Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray());

        var response = await Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { Payload = payload });

        Assert.Equal(payload, response.Payload);
    }

    [Fact]
    public async Task Row03_server_stream_against_grpcio()
    {
        using var call = Channel.ServerStreaming(TestService.StreamingOutputCall, new StreamingOutputCallRequest { ResponseSizes = { OutputSizes } });

        var sizes = await call.ResponseStream.ReadAllAsync().Select(p => p.Body.Length).ToListAsync();

        Assert.Equal(OutputSizes, sizes);
    }

    [Fact]
    public async Task Row04_client_stream_against_grpcio()
    {
        using var call = Channel.ClientStreaming(TestService.StreamingInputCall);
        foreach (int size in InputSizes)
        {
            await call.RequestStream.WriteAsync(new Payload { Body = Bytes(size) });
        }

        await call.RequestStream.CompleteAsync();

        Assert.Equal(74922, (await call.ResponseAsync).AggregatedPayloadSize);
    }

    [Fact]
    public async Task Row05_ping_pong_against_grpcio()
    {
        using var call = Channel.DuplexStreaming(TestService.FullDuplexCall);
        foreach (int size in OutputSizes)
        {
            await call.RequestStream.WriteAsync(new Payload { Body = Bytes(size) });
            Assert.True(await call.ResponseStream.MoveNextAsync());
            Assert.Equal(size, call.ResponseStream.Current.Body.Length);
        }

        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNextAsync());
    }

    [Fact]
    public async Task Row06_empty_stream_against_grpcio()
    {
        using var call = Channel.DuplexStreaming(TestService.FullDuplexCall);
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNextAsync());
        Assert.Equal(GrpcStatusCode.Ok, call.GetStatus().Code);
    }

    [Fact]
    public async Task Row07_deadline_against_grpcio_cancels_its_handler()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Channel.UnaryAsync(
            TestService.UnaryCall, new SimpleRequest { SleepMs = 1000 }, CallOptions.WithTimeout(TimeSpan.FromMilliseconds(50))));
        // A deadline the handler surely starts within, even on a loaded machine, to see it cancelled.
        var observed = await Assert.ThrowsAsync<RpcException>(() => Channel.UnaryAsync(
            TestService.UnaryCall, new SimpleRequest { SleepMs = 5000 }, CallOptions.WithTimeout(TimeSpan.FromMilliseconds(500))));

        Assert.Equal(GrpcStatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(GrpcStatusCode.DeadlineExceeded, observed.StatusCode);
        await python.Peer.WaitForLineAsync("CANCELLED UnaryCall", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Row08_cancel_after_first_response_against_grpcio_cancels_its_handler()
    {
        using var cancel = new CancellationTokenSource();
        var request = new StreamingOutputCallRequest { ResponseSizes = { Enumerable.Repeat(10, 1000) }, IntervalMs = 10 };
        using var call = Channel.ServerStreaming(TestService.StreamingOutputCall, request, new CallOptions(CancellationToken: cancel.Token));

        Assert.True(await call.ResponseStream.MoveNextAsync());
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNextAsync());

        Assert.Equal(GrpcStatusCode.Cancelled, error.StatusCode);
        await python.Peer.WaitForLineAsync("CANCELLED StreamingOutputCall", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Row09_cancel_after_begin_against_grpcio()
    {
        using var cancel = new CancellationTokenSource();
        using var call = Channel.ClientStreaming(TestService.StreamingInputCall, new CallOptions(CancellationToken: cancel.Token));

        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(GrpcStatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task Row10_oversize_both_ways_against_grpcio()
    {
        using var small = new GrpcChannel(new GrpcChannelOptions { Address = python.Address, MaxReceiveMessageSize = 1024 });

        var request = await Assert.ThrowsAsync<RpcException>(() =>
            Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { Payload = Bytes(2 * 1024 * 1024) }));
        var response = await Assert.ThrowsAsync<RpcException>(() =>
            small.UnaryAsync(TestService.UnaryCall, new SimpleRequest { ResponseSize = 4000 }));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, request.StatusCode);
        Assert.Equal(GrpcStatusCode.ResourceExhausted, response.StatusCode);
    }

    [Fact]
    public async Task Row11_unknown_service_against_grpcio_is_unimplemented()
    {
        var unknown = Method<HyperSwarm.Protocol.V1.StatusRequest, HyperSwarm.Protocol.V1.WorkerStatus>.From(
            HyperSwarm.Protocol.V1.WorkerReflection.Descriptor.Services[0], "Status");

        var error = await Assert.ThrowsAsync<RpcException>(() => Channel.UnaryAsync(unknown, new HyperSwarm.Protocol.V1.StatusRequest()));

        Assert.Equal(GrpcStatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task Row17_status_message_from_grpcio_round_trips()
    {
        const string Text = "bad % ünïcødé";
        var request = new SimpleRequest { FailCode = (int)GrpcStatusCode.InvalidArgument, FailMessage = Text };

        var error = await Assert.ThrowsAsync<RpcException>(() => Channel.UnaryAsync(TestService.UnaryCall, request));

        Assert.Equal(new GrpcStatus(GrpcStatusCode.InvalidArgument, Text), error.Status);
    }

    [Fact]
    public async Task Row18_metadata_round_trips_through_grpcio()
    {
        byte[] data = [0, 1, 2, 255];
        var headers = new Metadata().Add("x-echo-text", "hello world").Add("x-echo-data-bin", data);

        using var call = Channel.Unary(TestService.UnaryCall, new SimpleRequest(), new CallOptions(headers));
        await call.ResponseAsync;
        Metadata responseHeaders = await call.ResponseHeadersAsync;

        Assert.Equal("hello world", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(data, responseHeaders.GetBytes("x-echo-data-bin"));
        Assert.Equal("hello world", call.GetTrailers().GetValue("x-echo-text"));
        Assert.Equal(data, call.GetTrailers().GetBytes("x-echo-data-bin"));
    }

    private static ByteString Bytes(int size) => ByteString.CopyFrom(new byte[size]);
}
