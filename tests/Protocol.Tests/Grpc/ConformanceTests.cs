using System.Diagnostics;
using Google.Protobuf;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Protocol.Tests.Grpc;

/// <summary>GRPC.md §1.10: one test per row, our client against our server, plus raw HTTP/2 checks.</summary>
public sealed class ConformanceTests
{
    private const string UnaryPath = "/hyperswarm.testing.v1.TestService/UnaryCall";
    private static readonly int[] OutputSizes = [31415, 9, 2653, 58979];
    private static readonly int[] InputSizes = [27182, 8, 1828, 45904];

    [Fact]
    public async Task Row01_unary_echo_including_an_empty_message_is_ok_with_status_in_trailers()
    {
        await using var h = await GrpcHarness.StartAsync();

        var echo = await h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { Payload = Bytes(3) });
        var empty = await h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest());
        var raw = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, RawGrpc.Frame([]));

        Assert.Equal(3, echo.Payload.Length);
        Assert.True(empty.Payload.IsEmpty);
        Assert.Equal((200, "application/grpc", "0", null), (raw.HttpStatus, raw.ContentType, raw.TrailerStatus, raw.HeaderStatus));
        Assert.Equal(new byte[5], raw.Body);
    }

    [Fact]
    public async Task Row02_large_unary_crossing_many_data_frames_round_trips()
    {
        await using var h = await GrpcHarness.StartAsync();
        ByteString payload = ByteString.CopyFrom(Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray());

        var response = await h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { Payload = payload });

        Assert.Equal(payload, response.Payload);
    }

    [Fact]
    public async Task Row03_server_stream_delivers_every_message_in_order_then_ok()
    {
        await using var h = await GrpcHarness.StartAsync();
        var request = new StreamingOutputCallRequest { ResponseSizes = { OutputSizes } };

        using var call = h.Channel.ServerStreaming(TestService.StreamingOutputCall, request);
        var sizes = await call.ResponseStream.ReadAllAsync().Select(p => p.Body.Length).ToListAsync();

        Assert.Equal(OutputSizes, sizes);
        Assert.Equal(GrpcStatusCode.Ok, call.GetStatus().Code);
    }

    [Fact]
    public async Task Row04_client_stream_gets_one_response_with_the_total()
    {
        await using var h = await GrpcHarness.StartAsync();

        using var call = h.Channel.ClientStreaming(TestService.StreamingInputCall);
        foreach (int size in InputSizes)
        {
            await call.RequestStream.WriteAsync(new Payload { Body = Bytes(size) });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;

        Assert.Equal(74922, response.AggregatedPayloadSize);
    }

    [Fact]
    public async Task Row05_bidi_ping_pong_reads_while_writing()
    {
        await using var h = await GrpcHarness.StartAsync();

        using var call = h.Channel.DuplexStreaming(TestService.FullDuplexCall);
        foreach (int size in OutputSizes)
        {
            await call.RequestStream.WriteAsync(new Payload { Body = Bytes(size) });
            Assert.True(await call.ResponseStream.MoveNextAsync());
            Assert.Equal(size, call.ResponseStream.Current.Body.Length);
        }

        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNextAsync());
        Assert.Equal(GrpcStatusCode.Ok, call.GetStatus().Code);
    }

    [Fact]
    public async Task Row06_bidi_half_closed_at_once_gets_no_responses_and_ok()
    {
        await using var h = await GrpcHarness.StartAsync();

        using var call = h.Channel.DuplexStreaming(TestService.FullDuplexCall);
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNextAsync());
        Assert.Equal(GrpcStatusCode.Ok, call.GetStatus().Code);
    }

    [Fact]
    public async Task Row07_deadline_exceeded_is_reported_promptly_and_cancels_the_handler()
    {
        await using var h = await GrpcHarness.StartAsync();
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => h.Channel.UnaryAsync(
            TestService.UnaryCall, new SimpleRequest { SleepMs = 1000 }, CallOptions.WithTimeout(TimeSpan.FromMilliseconds(50))));
        stopwatch.Stop();
        var raw = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, RawGrpc.Frame(new SimpleRequest { SleepMs = 5000 }), headers: ("grpc-timeout", "300m"));
        await h.Service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(GrpcStatusCode.DeadlineExceeded, error.StatusCode);
        // The local timer answers at ~50 ms; the upper bound is loose because CI shares 2 cores.
        Assert.InRange(stopwatch.ElapsedMilliseconds, 40, 1500);
        Assert.Equal("4", raw.Status);
    }

    [Fact]
    public async Task Row08_client_cancel_after_first_response_cancels_the_handler_without_an_error_log()
    {
        var log = new CapturingLogger();
        await using var h = await GrpcHarness.StartAsync(new GrpcServerOptions { LoggerFactory = log });
        using var cancel = new CancellationTokenSource();
        var request = new StreamingOutputCallRequest { ResponseSizes = { Enumerable.Repeat(10, 1000) }, IntervalMs = 10 };

        using var call = h.Channel.ServerStreaming(TestService.StreamingOutputCall, request, new CallOptions(CancellationToken: cancel.Token));
        Assert.True(await call.ResponseStream.MoveNextAsync());
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNextAsync());
        await h.Service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await h.Server.StopAsync();

        Assert.Equal(GrpcStatusCode.Cancelled, error.StatusCode);
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Row09_cancel_before_any_response_is_cancelled()
    {
        await using var h = await GrpcHarness.StartAsync();
        using var cancel = new CancellationTokenSource();

        using var call = h.Channel.ClientStreaming(TestService.StreamingInputCall, new CallOptions(CancellationToken: cancel.Token));
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(GrpcStatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task Row10_oversize_messages_are_resource_exhausted_both_ways_and_never_allocated()
    {
        await using var h = await GrpcHarness.StartAsync(
            new GrpcServerOptions { MaxReceiveMessageSize = 1024 },
            address => new GrpcChannelOptions { Address = address, MaxReceiveMessageSize = 1024 });
        byte[] hugePrefix = [0, 0x40, 0, 0, 0, 1, 2, 3]; // declares 1 GiB, sends 3 bytes

        var request = await Assert.ThrowsAsync<RpcException>(() =>
            h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { Payload = Bytes(4000) }));
        var response = await Assert.ThrowsAsync<RpcException>(() =>
            h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { ResponseSize = 4000 }));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var raw = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, hugePrefix);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(GrpcStatusCode.ResourceExhausted, request.StatusCode);
        Assert.Equal(GrpcStatusCode.ResourceExhausted, response.StatusCode);
        Assert.Equal("8", raw.Status);
        Assert.True(allocated < 64 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task Row11_unknown_method_and_service_are_unimplemented_trailers_only()
    {
        await using var h = await GrpcHarness.StartAsync();
        var unknownService = Method<StatusRequest, WorkerStatus>.From(WorkerReflection.Descriptor.Services[0], "Status");

        var viaClient = await Assert.ThrowsAsync<RpcException>(() => h.Channel.UnaryAsync(unknownService, new StatusRequest()));
        var method = await RawGrpc.PostAsync(h.Server.Address, "/hyperswarm.testing.v1.TestService/Nope", RawGrpc.Frame([]));
        var service = await RawGrpc.PostAsync(h.Server.Address, "/nope.v1.Nothing/UnaryCall", RawGrpc.Frame([]));

        Assert.Equal(GrpcStatusCode.Unimplemented, viaClient.StatusCode);
        Assert.Equal((200, "12", null), (method.HttpStatus, method.HeaderStatus, method.TrailerStatus));
        Assert.Equal((200, "12", null), (service.HttpStatus, service.HeaderStatus, service.TrailerStatus));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    [InlineData(new byte[] { 2, 0, 0, 0, 0 })]
    public async Task Row12_malformed_frames_are_internal(byte[] body)
    {
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, body);

        Assert.Equal("13", raw.Status);
    }

    [Fact]
    public async Task Row13_compressed_flag_without_encoding_is_internal_and_unknown_encoding_unimplemented()
    {
        await using var h = await GrpcHarness.StartAsync();

        var flagged = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, RawGrpc.Frame([], flag: 1));
        var gzip = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, RawGrpc.Frame([], flag: 1), headers: ("grpc-encoding", "gzip"));

        Assert.Equal("13", flagged.Status);
        Assert.Equal("12", gzip.Status);
    }

    [Fact]
    public async Task Row14_wrong_content_type_gets_http_415()
    {
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, RawGrpc.Frame([]), contentType: "application/json");

        Assert.Equal(415, raw.HttpStatus);
    }

    [Fact]
    public async Task Row15_unary_with_zero_or_two_request_messages_is_unimplemented()
    {
        await using var h = await GrpcHarness.StartAsync();

        var none = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, []);
        var two = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, [.. RawGrpc.Frame([]), .. RawGrpc.Frame([])]);

        Assert.Equal("12", none.Status);
        Assert.Equal("12", two.Status);
    }

    [Fact]
    public async Task Row16_handler_exception_is_unknown_without_details_on_the_wire()
    {
        var log = new CapturingLogger();
        await using var h = await GrpcHarness.StartAsync(new GrpcServerOptions { LoggerFactory = log });

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { ThrowException = true }));

        Assert.Equal(GrpcStatusCode.Unknown, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error.Status.Message, StringComparison.Ordinal);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Row17_status_message_with_unicode_and_percent_round_trips()
    {
        const string Text = "bad % ünïcødé";
        await using var h = await GrpcHarness.StartAsync();
        var request = new SimpleRequest { FailCode = (int)GrpcStatusCode.InvalidArgument, FailMessage = Text };

        var error = await Assert.ThrowsAsync<RpcException>(() => h.Channel.UnaryAsync(TestService.UnaryCall, request));
        var raw = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, RawGrpc.Frame(request));

        Assert.Equal(new GrpcStatus(GrpcStatusCode.InvalidArgument, Text), error.Status);
        Assert.Equal("bad %25 %C3%BCn%C3%AFc%C3%B8d%C3%A9", raw.Message);
    }

    [Fact]
    public async Task Row18_ascii_and_binary_metadata_round_trip_both_ways()
    {
        await using var h = await GrpcHarness.StartAsync();
        byte[] data = [0, 1, 2, 255];
        var headers = new Metadata().Add("x-echo-text", "hello world").Add("x-echo-data-bin", data);

        using var call = h.Channel.Unary(TestService.UnaryCall, new SimpleRequest(), new CallOptions(headers));
        await call.ResponseAsync;
        Metadata responseHeaders = await call.ResponseHeadersAsync;
        var padded = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, RawGrpc.Frame([]), headers: ("x-echo-p-bin", "AAEC/w=="));

        Assert.Equal("hello world", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(data, responseHeaders.GetBytes("x-echo-data-bin"));
        Assert.Equal("hello world", call.GetTrailers().GetValue("x-echo-text"));
        Assert.Equal(data, call.GetTrailers().GetBytes("x-echo-data-bin"));
        Assert.Equal("0", padded.Status);
    }

    [Theory]
    [InlineData("1x")]
    [InlineData("123456789S")]
    [InlineData("-1S")]
    [InlineData("S")]
    [InlineData("1.5S")]
    public async Task Row19_junk_grpc_timeout_means_no_deadline_never_a_crash(string junk)
    {
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Server.Address, UnaryPath, RawGrpc.Frame([]), headers: ("grpc-timeout", junk));

        Assert.Equal("0", raw.Status);
    }

    [Fact]
    public async Task Row20_two_hundred_concurrent_unary_calls_on_one_client_all_succeed()
    {
        // A stream limit of 100 per connection forces the client onto a second connection.
        await using var h = await GrpcHarness.StartAsync(new GrpcServerOptions { MaxStreamsPerConnection = 100 });

        var calls = Enumerable.Range(0, 200).Select(i =>
            h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { Payload = Bytes(i), SleepMs = 100 }));
        var responses = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 200), responses.Select(r => r.Payload.Length));
    }

    [Fact]
    public async Task Row21_server_shutdown_mid_stream_ends_the_call_unavailable_without_hanging()
    {
        await using var h = await GrpcHarness.StartAsync(new GrpcServerOptions { ShutdownTimeout = TimeSpan.FromSeconds(2) });
        var request = new StreamingOutputCallRequest { ResponseSizes = { Enumerable.Repeat(10, 10_000) }, IntervalMs = 10 };

        using var call = h.Channel.ServerStreaming(TestService.StreamingOutputCall, request);
        Assert.True(await call.ResponseStream.MoveNextAsync());
        Task stop = h.Server.StopAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNextAsync())
            {
            }
        }).WaitAsync(TimeSpan.FromSeconds(10));
        await stop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(error.StatusCode, new[] { GrpcStatusCode.Unavailable, GrpcStatusCode.Cancelled });
    }

    private static ByteString Bytes(int size) => ByteString.CopyFrom(new byte[size]);
}
