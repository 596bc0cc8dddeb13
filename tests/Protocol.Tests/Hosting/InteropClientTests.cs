using Google.Protobuf;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Tests.Hosting;

/// <summary>
/// Grpc.Net.Client, through <see cref="ClusterChannel"/>, against a Debian python3-grpcio
/// server (tests/interop/test_server.py): GRPC.md §1.10 rows 1–11 and 17–18.
/// </summary>
public sealed class InteropClientTests(PythonServerFixture python) : IClassFixture<PythonServerFixture>
{
    private static readonly int[] OutputSizes = [31415, 9, 2653, 58979];
    private static readonly int[] InputSizes = [27182, 8, 1828, 45904];

    private TestService.TestServiceClient Client => python.Client;

    [Fact]
    public async Task Row01_unary_echo_against_grpcio()
    {
        using var call = Client.UnaryCallAsync(new SimpleRequest { Payload = ByteString.CopyFromUtf8("abc") });
        var echo = await call.ResponseAsync;
        var empty = await Client.UnaryCallAsync(new SimpleRequest());

        Assert.Equal("abc", echo.Payload.ToStringUtf8());
        Assert.True(empty.Payload.IsEmpty);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Row02_large_unary_against_grpcio()
    {
        ByteString payload = ByteString.CopyFrom(Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray());

        var response = await Client.UnaryCallAsync(new SimpleRequest { Payload = payload });

        Assert.Equal(payload, response.Payload);
    }

    [Fact]
    public async Task Row03_server_stream_against_grpcio()
    {
        using var call = Client.StreamingOutputCall(new StreamingOutputCallRequest { ResponseSizes = { OutputSizes } });

        var sizes = await call.ResponseStream.ReadAllAsync().Select(p => p.Body.Length).ToListAsync();

        Assert.Equal(OutputSizes, sizes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Row04_client_stream_against_grpcio()
    {
        using var call = Client.StreamingInputCall();
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
        using var call = Client.FullDuplexCall();
        foreach (int size in OutputSizes)
        {
            await call.RequestStream.WriteAsync(new Payload { Body = Bytes(size) });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal(size, call.ResponseStream.Current.Body.Length);
        }

        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Row06_empty_stream_against_grpcio()
    {
        using var call = Client.FullDuplexCall();
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Row07_deadline_against_grpcio_cancels_its_handler()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.UnaryCallAsync(
            new SimpleRequest { SleepMs = 1000 }, deadline: DateTime.UtcNow.AddMilliseconds(50)).ResponseAsync);
        // A deadline the handler surely starts within, even on a loaded machine, to see it cancelled.
        var observed = await Assert.ThrowsAsync<RpcException>(() => Client.UnaryCallAsync(
            new SimpleRequest { SleepMs = 5000 }, deadline: DateTime.UtcNow.AddMilliseconds(500)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(StatusCode.DeadlineExceeded, observed.StatusCode);
        await python.Peer.WaitForLineAsync("CANCELLED UnaryCall", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Row08_cancel_after_first_response_against_grpcio_cancels_its_handler()
    {
        using var cancel = new CancellationTokenSource();
        var request = new StreamingOutputCallRequest { ResponseSizes = { Enumerable.Repeat(10, 1000) }, IntervalMs = 10 };
        using var call = Client.StreamingOutputCall(request, cancellationToken: cancel.Token);

        Assert.True(await call.ResponseStream.MoveNext());
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await python.Peer.WaitForLineAsync("CANCELLED StreamingOutputCall", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Row09_cancel_after_begin_against_grpcio()
    {
        using var cancel = new CancellationTokenSource();
        using var call = Client.StreamingInputCall(cancellationToken: cancel.Token);

        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task Row10_oversize_both_ways_against_grpcio()
    {
        using var small = ClusterChannel.Open(python.Address, new ClusterChannelOptions { MaxReceiveMessageSize = 1024 });

        // Over grpcio's 1 MiB receive limit, under our 4 MiB send default.
        var request = await Assert.ThrowsAsync<RpcException>(() =>
            Client.UnaryCallAsync(new SimpleRequest { Payload = Bytes(2 * PythonServerFixture.MaxReceiveMessageSize) }).ResponseAsync);
        var response = await Assert.ThrowsAsync<RpcException>(() =>
            new TestService.TestServiceClient(small).UnaryCallAsync(new SimpleRequest { ResponseSize = 4000 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, request.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, response.StatusCode);
    }

    [Fact]
    public async Task Row11_unknown_service_against_grpcio_is_unimplemented()
    {
        // A real HyperSwarm service that the grpcio peer does not serve.
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Worker.WorkerClient(python.Channel).StatusAsync(new StatusRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task Row17_status_message_from_grpcio_round_trips()
    {
        const string Text = "bad % ünïcødé";
        var request = new SimpleRequest { FailCode = (int)StatusCode.InvalidArgument, FailMessage = Text };

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.UnaryCallAsync(request).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, Text), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task Row18_metadata_round_trips_through_grpcio()
    {
        byte[] data = [0, 1, 2, 255];
        var headers = new Metadata { { "x-echo-text", "hello world" }, { "x-echo-data-bin", data } };

        using var call = Client.UnaryCallAsync(new SimpleRequest(), headers);
        await call.ResponseAsync;
        Metadata responseHeaders = await call.ResponseHeadersAsync;

        Assert.Equal("hello world", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(data, responseHeaders.GetValueBytes("x-echo-data-bin"));
        Assert.Equal("hello world", call.GetTrailers().GetValue("x-echo-text"));
        Assert.Equal(data, call.GetTrailers().GetValueBytes("x-echo-data-bin"));
    }

    private static ByteString Bytes(int size) => ByteString.CopyFrom(new byte[size]);
}
