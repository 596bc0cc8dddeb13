using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Coordinator.Tests.Telemetry;

/// <summary>One export request as the in-test collector received it; for gRPC the body is the message without its 5-byte prefix.</summary>
internal sealed record ReceivedExport(string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// A stand-in OTLP collector on loopback: Kestrel accepting OTLP/HTTP (HTTP/1.1) or OTLP/gRPC
/// (cleartext HTTP/2), answering every export with success and keeping the request bodies.
/// </summary>
internal sealed class OtlpCollector : IAsyncDisposable
{
    public const string GrpcMetricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    public const string GrpcTracesPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedExport> _received = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ReceivedExport>> _firstByPath = new();

    private OtlpCollector(WebApplication app)
    {
        _app = app;
    }

    /// <summary>http://127.0.0.1:port, no trailing slash.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedExport> Received => [.. _received];

    public static async Task<OtlpCollector> StartAsync(HttpProtocols protocols)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        WebApplication app = builder.Build();
        var collector = new OtlpCollector(app);
        app.Run(collector.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        collector.BaseAddress = new Uri(address.TrimEnd('/'));
        return collector;
    }

    /// <summary>Completes with the first request to <paramref name="path"/>, however long ago it arrived.</summary>
    public Task<ReceivedExport> FirstAsync(string path) => Signal(path).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        byte[] body = buffer.ToArray();
        bool grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        if (grpc)
        {
            // Length-prefixed message: 1 byte compressed flag (0 here), 4 bytes big-endian length.
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4));
            body = body.AsSpan(5, length).ToArray();
        }

        var export = new ReceivedExport(
            context.Request.Path.Value ?? "",
            context.Request.ContentType,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        _received.Enqueue(export);
        Signal(export.Path).TrySetResult(export);

        if (grpc)
        {
            // An empty Export*ServiceResponse, then grpc-status 0 in the trailers.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
            context.Response.AppendTrailer("grpc-status", "0");
        }
        else
        {
            context.Response.ContentType = "application/x-protobuf";
        }
    }

    private TaskCompletionSource<ReceivedExport> Signal(string path) =>
        _firstByPath.GetOrAdd(path, _ => new TaskCompletionSource<ReceivedExport>(TaskCreationOptions.RunContinuationsAsynchronously));
}
