using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Grpc;

/// <summary>
/// Random and mutated input against the server for a bounded number of iterations
/// (DESIGN.md §5: bad input gets a precise error, never a crash or a hang): every call ends
/// with a status, memory stays bounded, and the server still serves afterwards.
/// </summary>
public sealed class DispatcherRobustnessTests
{
    private const int Iterations = 400;
    private static readonly string[] Paths =
    [
        "/hyperswarm.testing.v1.TestService/UnaryCall",
        "/hyperswarm.testing.v1.TestService/StreamingOutputCall",
        "/hyperswarm.testing.v1.TestService/StreamingInputCall",
        "/hyperswarm.testing.v1.TestService/FullDuplexCall",
        "/hyperswarm.testing.v1.TestService/",
        "/",
        "/x/y/z",
    ];

    [Fact]
    public async Task Random_and_mutated_requests_always_end_with_a_status()
    {
        await using var h = await GrpcHarness.StartAsync(
            new GrpcServerOptions { MaxReceiveMessageSize = 64 * 1024 }, service: new TestService(bounded: true));
        var random = new Random(20261122);
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var client = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(10) };

        for (int batch = 0; batch < Iterations / 8; batch++)
        {
            var requests = Enumerable.Range(0, 8).Select(_ => Mutant(random)).ToList();
            var outcomes = await Task.WhenAll(requests.Select(r => SendAsync(client, h.Server.Address, r)));
            foreach (var (outcome, request) in outcomes.Zip(requests))
            {
                Assert.True(outcome.EndedWithStatus, $"{request.Describe()} → {outcome}");
            }
        }

        long growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        var healthy = await h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { ResponseSize = 5 });

        Assert.True(growth < 64 << 20, $"memory grew by {growth} bytes");
        Assert.Equal(5, healthy.Payload.Length);
    }

    [Fact]
    public async Task Request_streams_cut_off_midway_leave_the_server_serving()
    {
        await using var h = await GrpcHarness.StartAsync();
        var random = new Random(7);
        using var client = new HttpClient(new SocketsHttpHandler());

        for (int i = 0; i < 40; i++)
        {
            byte[] frame = RawGrpc.Frame(new Payload { Body = ByteString.CopyFrom(new byte[random.Next(10, 5000)]) });
            var content = new CutOffContent(frame.AsMemory(0, random.Next(1, frame.Length)).ToArray());
            using var request = Request(h.Server.Address, Paths[random.Next(4)], content);
            try
            {
                // The server may have answered before the body failed; once the client resets
                // the stream, no status can reach it, so only the server's health is checked.
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

        var healthy = await h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { ResponseSize = 3 });
        Assert.Equal(3, healthy.Payload.Length);
    }

    [Fact]
    public async Task Garbage_http2_frames_on_raw_connections_leave_the_server_serving()
    {
        await using var h = await GrpcHarness.StartAsync();
        var random = new Random(11);
        byte[] preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

        for (int i = 0; i < 60; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, h.Server.Port);
            var garbage = new byte[random.Next(1, 400)];
            random.NextBytes(garbage);
            byte[] bytes = i % 2 == 0 ? [.. preface, .. garbage] : garbage;
            await socket.SendAsync(bytes, SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
            var sink = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await socket.ReceiveAsync(sink, SocketFlags.None, timeout.Token) > 0)
            {
            }
        }

        var healthy = await h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { ResponseSize = 1 });
        Assert.Equal(1, healthy.Payload.Length);
    }

    private static Mutation Mutant(Random random)
    {
        string path = Paths[random.Next(Paths.Length)];
        var headers = new List<(string, string)>();
        byte[] body = random.Next(6) switch
        {
            0 => RandomBytes(random, random.Next(0, 2000)),
            1 => Flip(random, ValidFrames(random)),
            2 => Truncate(random, ValidFrames(random)),
            3 => [(byte)random.Next(3), .. BitConverter.GetBytes(random.Next()), .. RandomBytes(random, random.Next(0, 64))],
            4 => [0, 0xFF, 0xFF, 0xFF, (byte)random.Next(256), 1, 2, 3],
            _ => ValidFrames(random),
        };
        if (random.Next(3) == 0)
        {
            headers.Add(("grpc-timeout", RandomAscii(random, random.Next(0, 12))));
        }

        if (random.Next(3) == 0)
        {
            headers.Add(("x-junk-bin", RandomAscii(random, random.Next(0, 20))));
        }

        if (random.Next(4) == 0)
        {
            headers.Add(("grpc-encoding", random.Next(2) == 0 ? "identity" : RandomAscii(random, 5)));
        }

        string contentType = random.Next(10) == 0 ? "application/grpc+" + RandomAscii(random, 4) : "application/grpc";
        return new Mutation(path, body, contentType, headers);
    }

    private static async Task<Outcome> SendAsync(HttpClient client, Uri server, Mutation mutation)
    {
        var content = new ByteArrayContent(mutation.Body);
        content.Headers.TryAddWithoutValidation("content-type", mutation.ContentType);
        using var request = Request(server, mutation.Path, content);
        foreach (var (name, value) in mutation.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string? status = Header(response.TrailingHeaders) ?? Header(response.Headers);
        return new Outcome((int)response.StatusCode, status);
    }

    private static HttpRequestMessage Request(Uri server, string path, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    private static string? Header(System.Net.Http.Headers.HttpHeaders headers) =>
        headers.TryGetValues("grpc-status", out var values) ? values.First() : null;

    private static byte[] ValidFrames(Random random)
    {
        var frames = new List<byte>();
        for (int i = random.Next(0, 4); i > 0; i--)
        {
            frames.AddRange(RawGrpc.Frame(new SimpleRequest { Payload = ByteString.CopyFrom(RandomBytes(random, random.Next(0, 300))) }));
        }

        return [.. frames];
    }

    private static byte[] Truncate(Random random, byte[] bytes) => bytes[..random.Next(0, bytes.Length + 1)];

    private static byte[] Flip(Random random, byte[] bytes)
    {
        for (int i = 0; i < bytes.Length && i < 8; i++)
        {
            if (bytes.Length > 0)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }
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

    private sealed record Mutation(string Path, byte[] Body, string ContentType, List<(string Name, string Value)> Headers)
    {
        public string Describe() =>
            $"{Path} [{Body.Length} bytes: {Convert.ToHexString(Body.AsSpan(0, Math.Min(16, Body.Length)))}] {string.Join(", ", Headers)}";
    }

    private sealed record Outcome(int HttpStatus, string? GrpcStatus)
    {
        public bool EndedWithStatus => HttpStatus == 200 ? GrpcStatus is not null : HttpStatus is 415;
    }

    /// <summary>A request body that sends some bytes and then fails, so the client resets the stream.</summary>
    private sealed class CutOffContent(byte[] prefix) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(prefix);
            await stream.FlushAsync();
            throw new IOException("cut off on purpose");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
