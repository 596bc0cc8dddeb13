using System.Diagnostics;
using System.IO.Compression;
using Google.Protobuf;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Protocol.Tests.Hosting;

/// <summary>
/// GRPC.md §1.10: one test per row, Grpc.Net.Client (through <see cref="ClusterChannel"/>)
/// against <see cref="GrpcHost"/>, plus raw HTTP/2 checks where the row is about the wire.
/// Where Grpc.AspNetCore answers differently from the choice the hand-written runtime made,
/// the test pins what Grpc.AspNetCore does and says so.
/// </summary>
public sealed class ConformanceTests
{
    private const string UnaryPath = "/hyperswarm.testing.v1.TestService/UnaryCall";
    private static readonly int[] OutputSizes = [31415, 9, 2653, 58979];
    private static readonly int[] InputSizes = [27182, 8, 1828, 45904];

    [Fact]
    public async Task Row01_unary_echo_including_an_empty_message_is_ok_with_status_in_trailers()
    {
        await using var h = await GrpcHarness.StartAsync();

        var echo = await h.Client.UnaryCallAsync(new SimpleRequest { Payload = Bytes(3) });
        var empty = await h.Client.UnaryCallAsync(new SimpleRequest());
        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame([]));

        Assert.Equal(3, echo.Payload.Length);
        Assert.True(empty.Payload.IsEmpty);
        Assert.Equal((200, "application/grpc", "0", null), (raw.HttpStatus, raw.ContentType, raw.TrailerStatus, raw.HeaderStatus));
        // An empty SimpleResponse is one zero-length message: flag 0, length 0.
        Assert.Equal(new byte[5], raw.Body);
    }

    [Fact]
    public async Task Row02_large_unary_crossing_many_data_frames_round_trips()
    {
        await using var h = await GrpcHarness.StartAsync();
        ByteString payload = ByteString.CopyFrom(Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray());

        var response = await h.Client.UnaryCallAsync(new SimpleRequest { Payload = payload });

        Assert.Equal(payload, response.Payload);
    }

    [Fact]
    public async Task Row03_server_stream_delivers_every_message_in_order_then_ok()
    {
        await using var h = await GrpcHarness.StartAsync();

        using var call = h.Client.StreamingOutputCall(new StreamingOutputCallRequest { ResponseSizes = { OutputSizes } });
        var sizes = await call.ResponseStream.ReadAllAsync().Select(p => p.Body.Length).ToListAsync();

        Assert.Equal(OutputSizes, sizes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Row04_client_stream_gets_one_response_with_the_total()
    {
        await using var h = await GrpcHarness.StartAsync();

        using var call = h.Client.StreamingInputCall();
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

        using var call = h.Client.FullDuplexCall();
        foreach (int size in OutputSizes)
        {
            // The next request is only written once its predecessor's reply arrived: the
            // server must answer while the request stream is still open.
            await call.RequestStream.WriteAsync(new Payload { Body = Bytes(size) });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal(size, call.ResponseStream.Current.Body.Length);
        }

        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Row06_bidi_half_closed_at_once_gets_no_responses_and_ok()
    {
        await using var h = await GrpcHarness.StartAsync();

        using var call = h.Client.FullDuplexCall();
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Row07_deadline_exceeded_is_reported_promptly_and_cancels_the_handler()
    {
        await using var h = await GrpcHarness.StartAsync();
        var stopwatch = Stopwatch.StartNew();

        // The handler would sleep 5 s: an answer well before that can only be the deadline.
        var error = await Assert.ThrowsAsync<RpcException>(() => h.Client.UnaryCallAsync(
            new SimpleRequest { SleepMs = 5000 }, deadline: DateTime.UtcNow.AddMilliseconds(50)).ResponseAsync);
        stopwatch.Stop();
        await h.Service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        // The client's own timer answers at ~50 ms; the upper bound is loose because CI shares 2 cores.
        Assert.InRange(stopwatch.ElapsedMilliseconds, 40, 2500);
        Assert.Equal(["UnaryCall"], h.Service.CancelledMethods);
    }

    [Fact]
    public async Task Row07_server_enforces_grpc_timeout_on_its_own()
    {
        // A raw client has no timer of its own: the DEADLINE_EXCEEDED here can only be the server's.
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame(new SimpleRequest { SleepMs = 5000 }), headers: ("grpc-timeout", "300m"));
        await h.Service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("4", raw.Status);
    }

    [Fact]
    public async Task Row08_client_cancel_after_first_response_cancels_the_handler_without_an_error_log()
    {
        var log = new CapturingLogger();
        await using var h = await GrpcHarness.StartAsync(new GrpcHostOptions { LoggerFactory = log });
        using var cancel = new CancellationTokenSource();
        var request = new StreamingOutputCallRequest { ResponseSizes = { Enumerable.Repeat(10, 1000) }, IntervalMs = 10 };

        using var call = h.Client.StreamingOutputCall(request, cancellationToken: cancel.Token);
        Assert.True(await call.ResponseStream.MoveNext());
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        await h.Service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        // Stopping drains the handler, so whatever it logs on its way out is in the log now.
        await h.Host.StopAsync();

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(["StreamingOutputCall"], h.Service.CancelledMethods);
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Row09_cancel_before_any_response_is_cancelled()
    {
        await using var h = await GrpcHarness.StartAsync();
        using var cancel = new CancellationTokenSource();

        using var call = h.Client.StreamingInputCall(cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task Row10_oversize_messages_are_resource_exhausted_both_ways()
    {
        await using var h = await GrpcHarness.StartAsync(
            new GrpcHostOptions { MaxReceiveMessageSize = 1024, MaxSendMessageSize = 2048 },
            _ => new ClusterChannelOptions { MaxReceiveMessageSize = 1024 });

        var request = await Assert.ThrowsAsync<RpcException>(() => h.Client.UnaryCallAsync(new SimpleRequest { Payload = Bytes(4000) }).ResponseAsync);
        // 1500 bytes: the server may send it (2048), the client may not receive it (1024).
        var response = await Assert.ThrowsAsync<RpcException>(() => h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 1500 }).ResponseAsync);
        // 3000 bytes: over the server's own send limit.
        var send = await Assert.ThrowsAsync<RpcException>(() => h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 3000 }).ResponseAsync);
        var fits = await h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 1000 });

        Assert.Equal(StatusCode.ResourceExhausted, request.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, response.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, send.StatusCode);
        Assert.Equal(1000, fits.Payload.Length);
    }

    [Fact]
    public async Task Row11_unknown_method_and_service_are_unimplemented_trailers_only()
    {
        await using var h = await GrpcHarness.StartAsync();
        var nope = new Method<SimpleRequest, SimpleResponse>(
            MethodType.Unary, "hyperswarm.testing.v1.TestService", "Nope", Marshal(SimpleRequest.Parser), Marshal(SimpleResponse.Parser));

        // Worker is a real HyperSwarm service that this host does not serve.
        var service = await Assert.ThrowsAsync<RpcException>(() => new Worker.WorkerClient(h.Channel).StatusAsync(new StatusRequest()).ResponseAsync);
        var method = await Assert.ThrowsAsync<RpcException>(() => h.Channel.CreateCallInvoker().AsyncUnaryCall(nope, null, default, new SimpleRequest()).ResponseAsync);
        var rawMethod = await RawGrpc.PostAsync(h.Address, "/hyperswarm.testing.v1.TestService/Nope", RawGrpc.Frame([]));
        var rawService = await RawGrpc.PostAsync(h.Address, "/nope.v1.Nothing/UnaryCall", RawGrpc.Frame([]));

        Assert.Equal(StatusCode.Unimplemented, service.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, method.StatusCode);
        Assert.Equal((200, "12", null), (rawMethod.HttpStatus, rawMethod.HeaderStatus, rawMethod.TrailerStatus));
        Assert.Equal((200, "12", null), (rawService.HttpStatus, rawService.HeaderStatus, rawService.TrailerStatus));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    public async Task Row12_truncated_frames_are_internal(byte[] body)
    {
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, body);

        Assert.Equal(("13", "Incomplete message."), (raw.Status, raw.Message));
        Assert.Equal(1, h.Service.Calls); // the warm-up call only: a broken frame never reaches the handler
    }

    [Fact]
    public async Task Row12_a_compressed_flag_of_two_is_unknown()
    {
        // GRPC.md (and the old runtime) say INTERNAL. Grpc.AspNetCore's frame reader throws an
        // InvalidDataException for a flag other than 0 or 1, and an exception that is not an
        // RpcException becomes UNKNOWN, like a handler's. Still a status, still no handler call.
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, [2, 0, 0, 0, 0]);

        Assert.Equal(("2", "Exception was thrown by handler."), (raw.Status, raw.Message));
        Assert.Equal(1, h.Service.Calls);
    }

    [Fact]
    public async Task Row13_compressed_flag_without_encoding_is_internal_and_unknown_encoding_unimplemented()
    {
        await using var h = await GrpcHarness.StartAsync();
        byte[] message = new SimpleRequest { Payload = Bytes(100) }.ToByteArray();

        var flagged = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame(message, flag: 1));
        var unknown = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame(message, flag: 1), headers: ("grpc-encoding", "x-hyperswarm-unknown"));
        // Grpc.AspNetCore, unlike the old runtime, decompresses gzip: a real gzip frame is served.
        var gzip = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame(Gzip(message), flag: 1), headers: ("grpc-encoding", "gzip"));

        Assert.Equal(("13", "Request did not include grpc-encoding value with compressed message."), (flagged.Status, flagged.Message));
        Assert.Equal("12", unknown.Status);
        Assert.Contains("gzip", unknown.Metadata("grpc-accept-encoding"), StringComparison.Ordinal);
        Assert.Equal("0", gzip.Status);
    }

    [Fact]
    public async Task Row14_wrong_content_type_gets_http_415()
    {
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame([]), contentType: "application/json");

        Assert.Equal(415, raw.HttpStatus);
        // Grpc.AspNetCore also says why, as a trailers-only INTERNAL, for gRPC clients that look.
        Assert.Equal(("13", "Content-Type 'application/json' is not supported."), (raw.HeaderStatus, raw.Message));
        Assert.Equal(1, h.Service.Calls);
    }

    [Fact]
    public async Task Row15_unary_with_zero_or_two_request_messages_is_internal()
    {
        // GRPC.md left the choice open; the old runtime said UNIMPLEMENTED (statuscodes.md).
        // Grpc.AspNetCore says INTERNAL for both: "Incomplete message" for none, "Additional
        // data after the message received" for two.
        await using var h = await GrpcHarness.StartAsync();

        var none = await RawGrpc.PostAsync(h.Address, UnaryPath, []);
        var two = await RawGrpc.PostAsync(h.Address, UnaryPath, [.. RawGrpc.Frame([]), .. RawGrpc.Frame([])]);

        Assert.Equal(("13", "Incomplete message."), (none.Status, none.Message));
        Assert.Equal(("13", "Additional data after the message received."), (two.Status, two.Message));
        Assert.Equal(1, h.Service.Calls);
    }

    [Fact]
    public async Task Row16_handler_exception_is_unknown_without_details_on_the_wire()
    {
        var log = new CapturingLogger();
        await using var h = await GrpcHarness.StartAsync(new GrpcHostOptions { LoggerFactory = log });

        var error = await Assert.ThrowsAsync<RpcException>(() => h.Client.UnaryCallAsync(new SimpleRequest { ThrowException = true }).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error.Status.Detail, StringComparison.Ordinal);
        // The detail stays in the server's log instead (GRPC.md §1.7 step 8).
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "secret internal detail");
    }

    [Fact]
    public async Task Row17_status_message_with_unicode_and_percent_round_trips()
    {
        const string Text = "bad % ünïcødé";
        await using var h = await GrpcHarness.StartAsync();
        var request = new SimpleRequest { FailCode = (int)StatusCode.InvalidArgument, FailMessage = Text };

        var error = await Assert.ThrowsAsync<RpcException>(() => h.Client.UnaryCallAsync(request).ResponseAsync);
        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame(request));

        Assert.Equal((StatusCode.InvalidArgument, Text), (error.StatusCode, error.Status.Detail));
        Assert.Equal("bad %25 %C3%BCn%C3%AFc%C3%B8d%C3%A9", raw.Message);
    }

    [Fact]
    public async Task Row18_ascii_and_binary_metadata_round_trip_both_ways()
    {
        await using var h = await GrpcHarness.StartAsync();
        byte[] data = [0, 1, 2, 255];
        var headers = new Metadata { { "x-echo-text", "hello world" }, { "x-echo-data-bin", data } };

        using var call = h.Client.UnaryCallAsync(new SimpleRequest(), headers);
        await call.ResponseAsync;
        Metadata responseHeaders = await call.ResponseHeadersAsync;
        Metadata trailers = call.GetTrailers();
        // Base64 with and without its padding: both must decode to the same bytes.
        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame([]), headers: [("x-echo-p-bin", "AAEC/w=="), ("x-echo-u-bin", "AAEC/w")]);

        Assert.Equal("hello world", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(data, responseHeaders.GetValueBytes("x-echo-data-bin"));
        Assert.Equal("hello world", trailers.GetValue("x-echo-text"));
        Assert.Equal(data, trailers.GetValueBytes("x-echo-data-bin"));
        Assert.Equal("0", raw.Status);
        Assert.Equal(data, FromBase64(raw.Headers["x-echo-p-bin"]));
        Assert.Equal(data, FromBase64(raw.Headers["x-echo-u-bin"]));
    }

    [Fact]
    public async Task Row18_invalid_base64_in_a_bin_header_still_ends_with_a_status()
    {
        // The old runtime refused the call with INTERNAL before the handler ran. Grpc.AspNetCore
        // decodes -bin values when the handler first reads RequestHeaders; the FormatException
        // then ends the call as UNKNOWN, like any handler exception.
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame([]), headers: ("x-echo-junk-bin", "!!!"));
        var after = await h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 1 });

        Assert.Equal(("2", "Exception was thrown by handler."), (raw.Status, raw.Message));
        Assert.Equal(1, after.Payload.Length);
    }

    [Theory]
    [InlineData("100n")]
    [InlineData("1u")]
    [InlineData("1m")]
    [InlineData("1S")]
    public async Task Row19_every_small_grpc_timeout_unit_is_a_deadline(string timeout)
    {
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame(new SimpleRequest { SleepMs = 10_000 }), headers: ("grpc-timeout", timeout));

        Assert.Equal(("4", "Deadline Exceeded"), (raw.Status, raw.Message));
    }

    [Theory]
    [InlineData("1M")]
    [InlineData("1H")]
    [InlineData("99999999S")]
    [InlineData("99999999H")]
    public async Task Row19_large_grpc_timeouts_leave_a_short_call_alone(string timeout)
    {
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame(new SimpleRequest { SleepMs = 200 }), headers: ("grpc-timeout", timeout));

        Assert.Equal("0", raw.Status);
    }

    [Theory]
    [InlineData("1x")]
    [InlineData("S")]
    [InlineData("m")]
    [InlineData("1.5S")]
    [InlineData("+1S")]
    [InlineData("123456789S")]
    [InlineData("99999999999999999999S")]
    public async Task Row19_junk_grpc_timeout_means_no_deadline_never_a_crash(string junk)
    {
        // Grpc.AspNetCore ignores a grpc-timeout it cannot parse (logged, no deadline), the
        // same choice the old runtime made. The 200 ms sleep fails if junk became a short deadline.
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame(new SimpleRequest { SleepMs = 200 }), headers: ("grpc-timeout", junk));
        var after = await h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 2 });

        Assert.Equal("0", raw.Status);
        Assert.Equal(2, after.Payload.Length);
    }

    [Theory]
    [InlineData("0m")]
    [InlineData("-1S")]
    [InlineData("1n")]
    [InlineData("99n")]
    public async Task Row19_zero_negative_and_sub_tick_timeouts_mean_no_deadline(string timeout)
    {
        // Differs from the old runtime, which took "0m" and "1n" as a deadline already past
        // (and "-1S" as junk). Grpc.AspNetCore converts to 100 ns ticks and keeps only a
        // positive result as a deadline, so these run without one. Harmless: Grpc.Net.Client
        // never sends less than 1 tick, and a call that is late by a nanosecond is not a hazard.
        await using var h = await GrpcHarness.StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, UnaryPath, RawGrpc.Frame(new SimpleRequest { SleepMs = 200 }), headers: ("grpc-timeout", timeout));

        Assert.Equal("0", raw.Status);
    }

    [Fact]
    public async Task Row20_two_hundred_concurrent_unary_calls_on_one_client_all_succeed()
    {
        // A limit of 100 streams per connection: 200 calls held in flight at once need a second
        // connection, which ClusterChannel's handler opens (EnableMultipleHttp2Connections).
        // Not lower: below 100, SocketsHttpHandler's first burst on a fresh connection (it
        // assumes 100 streams until the server's SETTINGS arrive) overshoots the limit, Kestrel
        // closes that connection with GOAWAY(STREAM_CLOSED) and its calls fail with INTERNAL.
        // GrpcHostTests checks that GrpcHost's own default of 1000 is in force.
        await using var h = await GrpcHarness.StartAsync(new GrpcHostOptions { MaxStreamsPerConnection = 100 });
        h.Service.Connections.Clear();
        h.Service.HoldUnaryCallsUntil(200);

        var calls = Enumerable.Range(0, 200).Select(i =>
            h.Client.UnaryCallAsync(new SimpleRequest { Payload = Bytes(i) }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
        var responses = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 200), responses.Select(r => r.Payload.Length));
        Assert.InRange(h.Service.Connections.Count, 2, 200);
    }

    [Fact]
    public async Task Row21_server_shutdown_mid_stream_ends_the_call_unavailable_without_hanging()
    {
        // The stream watches GrpcHost.Stopping, so it ends at once with UNAVAILABLE; the long
        // shutdown timeout shows that nothing waited for Kestrel to cut the connection.
        await using var h = await GrpcHarness.StartAsync(new GrpcHostOptions { ShutdownTimeout = TimeSpan.FromSeconds(30) });
        var request = new StreamingOutputCallRequest { ResponseSizes = { Enumerable.Repeat(10, 10_000) }, IntervalMs = 10 };

        using var call = h.Client.StreamingOutputCall(request);
        Assert.True(await call.ResponseStream.MoveNext());
        var stopwatch = Stopwatch.StartNew();
        Task stop = h.Host.StopAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        }).WaitAsync(TimeSpan.FromSeconds(10));
        await stop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((StatusCode.Unavailable, TestServiceImpl.ShuttingDown), (error.StatusCode, error.Status.Detail));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"stop took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Row21_a_stream_that_ignores_stopping_is_cut_at_the_shutdown_timeout()
    {
        // The duplex handler waits for the client's next message and never looks at Stopping:
        // Kestrel waits ShutdownTimeout for it, then aborts the connection. The client must
        // get a status, not hang: UNAVAILABLE, the connection having broken (GRPC.md §1.4).
        await using var h = await GrpcHarness.StartAsync(new GrpcHostOptions { ShutdownTimeout = TimeSpan.FromSeconds(1) });

        using var call = h.Client.FullDuplexCall();
        await call.RequestStream.WriteAsync(new Payload { Body = Bytes(1) });
        Assert.True(await call.ResponseStream.MoveNext());
        var stopwatch = Stopwatch.StartNew();
        await h.Host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext()).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    private static ByteString Bytes(int size) => ByteString.CopyFrom(new byte[size]);

    private static Marshaller<T> Marshal<T>(MessageParser<T> parser)
        where T : IMessage<T> => Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static byte[] FromBase64(string value) => Convert.FromBase64String(value.PadRight((value.Length + 3) / 4 * 4, '='));
}
