using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;
using Xunit.Abstractions;

namespace HyperSwarm.Protocol.Tests.Hosting;

/// <summary>
/// Random, mutated, truncated and plainly wrong input against <see cref="GrpcHost"/>, and a
/// storm of calls that die young (DESIGN.md §5: bad input gets a precise error, never a crash
/// or a hang). Every loop is bounded; each test checks that every request ended with a
/// status, that the managed heap did not grow without bound, and that the host still serves.
/// They run alone because they measure the whole process's memory.
/// </summary>
[Collection(MeasuredCollection.Name)]
public sealed class HostRobustnessTests(ITestOutputHelper output)
{
    private const long MemoryBound = 64L << 20;

    private static readonly string[] MethodPaths =
    [
        "/hyperswarm.testing.v1.TestService/UnaryCall",
        "/hyperswarm.testing.v1.TestService/StreamingOutputCall",
        "/hyperswarm.testing.v1.TestService/StreamingInputCall",
        "/hyperswarm.testing.v1.TestService/FullDuplexCall",
        "/hyperswarm.testing.v1.TestService/Nope",
        "/nope.v1.Nothing/UnaryCall",
        "/grpc.health.v1.Health/Check",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/grpc", "application/grpc", "application/grpc", "application/grpc+proto",
        "application/grpc+json", "application/json", "text/plain", "application/grpc-web", "",
    ];

    [Fact]
    public async Task Random_and_mutated_requests_always_end_with_a_status()
    {
        await using var h = await GrpcHarness.StartAsync(
            new GrpcHostOptions { MaxReceiveMessageSize = 64 * 1024 }, service: new TestServiceImpl(bounded: true));
        var random = new Random(20261122);
        using var client = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(10) };
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var seen = new ConcurrentDictionary<string, int>();

        for (int batch = 0; batch < 50; batch++)
        {
            var requests = Enumerable.Range(0, 8).Select(_ => Mutant(random)).ToList();
            var outcomes = await Task.WhenAll(requests.Select(r =>
                RawGrpc.SendAsync(client, h.Address, r.Path, r.Body, r.ContentType, r.Headers)));
            foreach (var (outcome, request) in outcomes.Zip(requests))
            {
                Assert.True(EndedWithStatus(request, outcome), $"{request} → {outcome}");
                seen.AddOrUpdate($"{outcome.HttpStatus}/{outcome.Status}", 1, (_, n) => n + 1);
            }
        }

        long growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        var healthy = await h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 5 });
        output.WriteLine($"HTTP/grpc-status outcomes: {string.Join(", ", seen.OrderBy(o => o.Key))}; heap growth {growth} bytes");

        Assert.True(growth < MemoryBound, $"memory grew by {growth} bytes");
        Assert.Equal(5, healthy.Payload.Length);
        // The mutations reached more than one outcome: OK, errors from the framing, and refusals.
        Assert.Contains("200/0", seen.Keys);
        Assert.True(seen.Count >= 4, string.Join(", ", seen));
    }

    [Fact]
    public async Task Request_streams_cut_off_midway_leave_the_host_serving()
    {
        await using var h = await GrpcHarness.StartAsync();
        var random = new Random(7);
        using var client = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(10) };
        while (h.Service.Entered.Wait(0))
        {
            // The harness's warm-up call entered a handler too: only this test's calls count.
        }

        for (int i = 0; i < 40; i++)
        {
            byte[] frame = RawGrpc.Frame(new Payload { Body = ByteString.CopyFrom(new byte[random.Next(10, 5000)]) });
            var path = random.Next(4);
            // A streaming-input handler starts on the headers: the body is cut only once it runs,
            // so the cut reaches a live handler (left to chance, the reset can win and the host
            // never starts one). A unary handler never starts on half a message.
            var content = new CutOffContent(frame.AsMemory(0, random.Next(1, frame.Length)).ToArray(),
                path >= 2 ? () => h.Service.Entered.WaitAsync(TimeSpan.FromSeconds(10)) : null);
            using var request = RawGrpc.Request(h.Address, MethodPaths[path], content);
            try
            {
                // The host may have answered before the body failed; once the client resets
                // the stream, no status can reach it, so only the host's health is checked.
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
            }
            catch (HttpRequestException)
            {
                // The client reset the stream when its body failed: the usual path.
            }
            catch (IOException)
            {
                // The reset reached the response body first.
            }
        }

        // Every handler the cut-off streams started has ended: none waits forever on a dead stream.
        await h.Service.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        int reachedHandlers = h.Service.Calls - 1;
        var healthy = await h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 3 });
        output.WriteLine($"{reachedHandlers} of 40 cut-off requests reached a handler");

        Assert.True(reachedHandlers > 0, "no cut-off request reached a handler: the test tested nothing");
        Assert.Equal(3, healthy.Payload.Length);
    }

    [Fact]
    public async Task Garbage_bytes_and_junk_http2_frames_on_raw_connections_are_closed_and_the_host_serves_on()
    {
        await using var h = await GrpcHarness.StartAsync();
        var random = new Random(11);
        byte[] preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        byte[] emptySettings = [0, 0, 0, 4, 0, 0, 0, 0, 0];
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        for (int i = 0; i < 90; i++)
        {
            byte[] bytes = (i % 3) switch
            {
                // Not HTTP/2 at all (sometimes something that looks like HTTP/1.1).
                0 => i % 2 == 0 ? RandomBytes(random, random.Next(1, 400)) : Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                // The preface, then noise.
                1 => [.. preface, .. RandomBytes(random, random.Next(1, 400))],
                // The preface and SETTINGS, then frames with valid headers and random contents.
                _ => [.. preface, .. emptySettings, .. JunkFrames(random)],
            };
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, h.Address.Port);
            await socket.SendAsync(bytes, SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);

            Assert.True(await ClosedByHostAsync(socket), $"connection {i} was left open");
        }

        long growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        var healthy = await h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 1 });

        Assert.True(growth < MemoryBound, $"memory grew by {growth} bytes");
        Assert.Equal(1, healthy.Payload.Length);
    }

    [Fact]
    public async Task Thousands_of_calls_with_tiny_deadlines_and_mid_stream_cancellations_all_end_with_a_status()
    {
        const int Total = 3000;
        const int InFlight = 96;
        await using var h = await GrpcHarness.StartAsync();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var outcomes = new ConcurrentDictionary<(string Kind, StatusCode Code), int>();
        var failures = new ConcurrentQueue<string>();
        var odd = new ConcurrentQueue<string>();
        using var slots = new SemaphoreSlim(InFlight);
        var random = new Random(5);
        var calls = new List<Task>(Total);

        for (int i = 0; i < Total; i++)
        {
            await slots.WaitAsync();
            int seed = random.Next();
            calls.Add(Task.Run(async () =>
            {
                try
                {
                    (string kind, Status status) = await OneShortLivedCallAsync(h.Client, new Random(seed));
                    outcomes.AddOrUpdate((kind, status.StatusCode), 1, (_, n) => n + 1);
                    if (!Expected(kind).Contains(status.StatusCode))
                    {
                        odd.Enqueue($"{kind}: {status}");
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue(e.ToString());
                }
                finally
                {
                    slots.Release();
                }
            }));
        }

        await Task.WhenAll(calls);
        // Every handler those calls started has ended, however its call ended.
        await h.Service.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        long growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        var healthy = await h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 4 });
        string summary = string.Join(", ", outcomes.OrderBy(o => o.Key.ToString()).Select(o => $"{o.Key.Kind}/{o.Key.Code}={o.Value}"));
        output.WriteLine($"{summary}; heap growth {growth} bytes");

        foreach (string call in odd)
        {
            output.WriteLine(call);
        }

        // Every call ended with a status: no exception other than RpcException escaped.
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
        Assert.Equal(Total, outcomes.Values.Sum());
        // Nearly every call ended the way its kind should. Grpc.Net.Client, when the client's
        // deadline timer and the server's answer or reset cross, now and then reports
        // CANCELLED, INTERNAL or UNAVAILABLE instead of DEADLINE_EXCEEDED; a handful is that
        // race, more would be a change worth a look.
        Assert.True(odd.Count <= Total / 100, string.Join("\n", odd));
        // The storm did what it meant to: deadlines expired and streams were cancelled.
        Assert.True(outcomes.Keys.Contains(("unary", StatusCode.DeadlineExceeded)), summary);
        Assert.True(outcomes.Keys.Contains(("duplex", StatusCode.Cancelled)), summary);
        Assert.True(growth < MemoryBound, $"memory grew by {growth} bytes; {summary}");
        Assert.Equal(4, healthy.Payload.Length);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_never_allocated()
    {
        // GRPC.md §1.10 row 10: the size is checked from the prefix, before any buffer exists.
        await using var h = await GrpcHarness.StartAsync(new GrpcHostOptions { MaxReceiveMessageSize = 1024 });
        byte[] hugePrefix = [0, 0x40, 0, 0, 0, 1, 2, 3]; // declares 1 GiB, sends 3 bytes
        await RawGrpc.PostAsync(h.Address, "/hyperswarm.testing.v1.TestService/UnaryCall", RawGrpc.Frame([])); // JIT the raw path first

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var raw = await RawGrpc.PostAsync(h.Address, "/hyperswarm.testing.v1.TestService/UnaryCall", hugePrefix);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal("8", raw.Status);
        Assert.True(allocated < MemoryBound, $"allocated {allocated} bytes");
    }

    private static StatusCode[] Expected(string kind) => kind switch
    {
        "unary" or "client-stream" => [StatusCode.OK, StatusCode.DeadlineExceeded],
        _ => [StatusCode.OK, StatusCode.Cancelled],
    };

    /// <summary>One call that will probably not finish: a 1–5 ms deadline, or a cancel mid-stream.</summary>
    private static async Task<(string Kind, Status Status)> OneShortLivedCallAsync(TestService.TestServiceClient client, Random random)
    {
        DateTime deadline = DateTime.UtcNow.AddMilliseconds(random.Next(1, 6));
        switch (random.Next(4))
        {
            case 0:
                return ("unary", await StatusOf(client.UnaryCallAsync(
                    new SimpleRequest { Payload = ByteString.CopyFrom(new byte[random.Next(0, 2000)]), SleepMs = random.Next(0, 4) }, deadline: deadline).ResponseAsync));
            case 1:
            {
                using var cancel = new CancellationTokenSource();
                using var call = client.StreamingOutputCall(
                    new StreamingOutputCallRequest { ResponseSizes = { Enumerable.Repeat(100, 20) }, IntervalMs = 1 }, cancellationToken: cancel.Token);
                return ("server-stream", await StatusOf(async () =>
                {
                    for (int read = random.Next(0, 4); read > 0 && await call.ResponseStream.MoveNext(); read--)
                    {
                    }

                    await cancel.CancelAsync();
                    while (await call.ResponseStream.MoveNext())
                    {
                    }
                }));
            }

            case 2:
            {
                using var call = client.StreamingInputCall(deadline: deadline);
                return ("client-stream", await StatusOf(async () =>
                {
                    await WriteUntilRefusedAsync(call.RequestStream, random.Next(1, 20));
                    await call.ResponseAsync;
                }));
            }

            default:
            {
                using var cancel = new CancellationTokenSource();
                using var call = client.FullDuplexCall(cancellationToken: cancel.Token);
                return ("duplex", await StatusOf(async () =>
                {
                    for (int round = random.Next(0, 3); round > 0; round--)
                    {
                        await call.RequestStream.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[10]) });
                        await call.ResponseStream.MoveNext();
                    }

                    await cancel.CancelAsync();
                    while (await call.ResponseStream.MoveNext())
                    {
                    }
                }));
            }
        }
    }

    private static async Task WriteUntilRefusedAsync(IClientStreamWriter<Payload> requests, int count)
    {
        try
        {
            for (int i = 0; i < count; i++)
            {
                await requests.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[100]) });
            }

            await requests.CompleteAsync();
        }
        catch (RpcException)
        {
            // The deadline ended the call while writing; its status is read from the response.
        }
        catch (IOException)
        {
            // Grpc.Net.Client lets the HTTP/2 reset through as it is when the server's deadline
            // resets the stream before the client's own timer fired (grpc/grpc-dotnet#2638).
            // The call's status still comes from the response.
        }
    }

    private static Task<Status> StatusOf(Task call) => StatusOf(() => call);

    private static async Task<Status> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }

    private static async Task<bool> ClosedByHostAsync(Socket socket)
    {
        var sink = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await socket.ReceiveAsync(sink, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true; // reset rather than closed: closed all the same
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static bool EndedWithStatus(Mutation request, RawResponse response) => response.HttpStatus switch
    {
        200 => response.Status is not null,
        // A served method asked with a content type that is not gRPC's: 415, and Grpc.AspNetCore
        // adds a trailers-only INTERNAL saying why.
        415 => Served(request.Path) && !IsGrpcContentType(request.ContentType) && response.HeaderStatus == "13",
        // No endpoint: a path that is not a served method, asked without gRPC's content type
        // (with it, Grpc.AspNetCore's catch-all answers UNIMPLEMENTED) or not /service/method.
        404 => !Served(request.Path),
        _ => false,
    };

    private static bool Served(string path) => MethodPaths[..4].Contains(path) || path == "/grpc.health.v1.Health/Check";

    private static bool IsGrpcContentType(string contentType) =>
        contentType == "application/grpc" || contentType.StartsWith("application/grpc+", StringComparison.Ordinal);

    private static Mutation Mutant(Random random)
    {
        string path = random.Next(8) switch
        {
            0 => "/" + RandomSegment(random, random.Next(0, 30)),
            1 => "/" + RandomSegment(random, 5) + "/" + RandomSegment(random, 5) + "/" + RandomSegment(random, 3),
            2 => "/" + RandomSegment(random, 8) + "/" + RandomSegment(random, 8),
            _ => MethodPaths[random.Next(MethodPaths.Length)],
        };
        var headers = new List<(string, string)>();
        byte[] body = random.Next(7) switch
        {
            0 => RandomBytes(random, random.Next(0, 2000)),
            1 => Flip(random, ValidFrames(random)),
            2 => Truncate(random, ValidFrames(random)),
            3 => [(byte)random.Next(3), .. BitConverter.GetBytes(random.Next()), .. RandomBytes(random, random.Next(0, 64))],
            4 => [0, 0xFF, 0xFF, 0xFF, (byte)random.Next(256), 1, 2, 3],
            5 => [.. ValidFrames(random), .. RandomBytes(random, random.Next(1, 10))],
            _ => ValidFrames(random),
        };
        if (random.Next(3) == 0)
        {
            headers.Add(("grpc-timeout", RandomAscii(random, random.Next(0, 12))));
        }

        if (random.Next(3) == 0)
        {
            headers.Add(("x-echo-junk-bin", RandomAscii(random, random.Next(0, 20))));
        }

        if (random.Next(4) == 0)
        {
            headers.Add(("grpc-encoding", random.Next(3) switch { 0 => "identity", 1 => "gzip", _ => RandomAscii(random, 5) }));
        }

        if (random.Next(4) == 0)
        {
            headers.Add(("x-" + RandomName(random), RandomAscii(random, random.Next(0, 100))));
        }

        return new Mutation(path, body, ContentTypes[random.Next(ContentTypes.Length)], headers);
    }

    private static byte[] ValidFrames(Random random)
    {
        var frames = new List<byte>();
        for (int i = random.Next(0, 4); i > 0; i--)
        {
            frames.AddRange(RawGrpc.Frame(new SimpleRequest
            {
                Payload = ByteString.CopyFrom(RandomBytes(random, random.Next(0, 300))),
                ResponseSize = random.Next(0, 3000),
                SleepMs = random.Next(0, 50),
            }));
        }

        return [.. frames];
    }

    /// <summary>HTTP/2 frames whose 9-byte headers are well formed but whose type, flags, stream and payload are random.</summary>
    private static byte[] JunkFrames(Random random)
    {
        var frames = new List<byte>();
        for (int i = random.Next(1, 8); i > 0; i--)
        {
            int length = random.Next(0, 64);
            frames.AddRange([0, 0, (byte)length, (byte)random.Next(0, 12), (byte)random.Next(256)]);
            frames.AddRange(BitConverter.GetBytes(random.Next(0, 8)).Reverse());
            frames.AddRange(RandomBytes(random, length));
        }

        return [.. frames];
    }

    private static byte[] Truncate(Random random, byte[] bytes) => bytes[..random.Next(0, bytes.Length + 1)];

    private static byte[] Flip(Random random, byte[] bytes)
    {
        for (int i = 0; i < 8 && bytes.Length > 0; i++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        return bytes;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomAscii(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => (char)random.Next(0x21, 0x7F)).ToArray());

    // Characters a URI path segment may hold as they are: no '/', '?', '#' or '%' to reinterpret the URI.
    private static string RandomSegment(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@"[random.Next(79)]).ToArray());

    private static string RandomName(Random random) =>
        new(Enumerable.Range(0, random.Next(1, 12)).Select(_ => "abcdefghijklmnopqrstuvwxyz0123456789-_."[random.Next(39)]).ToArray());

    private sealed record Mutation(string Path, byte[] Body, string ContentType, List<(string Name, string Value)> Headers)
    {
        public override string ToString() =>
            $"{Path} '{ContentType}' [{Body.Length} bytes: {Convert.ToHexString(Body.AsSpan(0, Math.Min(16, Body.Length)))}] {string.Join(", ", Headers)}";
    }

    /// <summary>A request body that sends some bytes and then fails, so the client resets the stream.</summary>
    private sealed class CutOffContent(byte[] prefix, Func<Task<bool>>? beforeCut = null) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(prefix);
            await stream.FlushAsync();
            if (beforeCut is not null && !await beforeCut()) throw new TimeoutException("the streaming handler never started");
            throw new IOException("cut off on purpose");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
