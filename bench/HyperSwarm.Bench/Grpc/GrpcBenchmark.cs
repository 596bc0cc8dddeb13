using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;

namespace HyperSwarm.Bench.Grpc;

/// <summary>
/// <c>hyperswarm bench grpc</c>: sequential unary round trips per second and server-stream
/// messages per second, our client and server on loopback against a Debian python3-grpcio
/// client and server pair, measured in the same run (issue 4). Ours is Grpc.AspNetCore and
/// Grpc.Net.Client as HyperSwarm's nodes configure them (<see cref="GrpcHost"/>, <see cref="ClusterChannel"/>).
/// </summary>
public sealed class GrpcBenchmark : IBenchmark
{
    private const int PayloadBytes = 32;

    /// <inheritdoc />
    public string Name => "grpc";

    /// <inheritdoc />
    public string Description => "gRPC unary round trips/s and stream messages/s vs python3-grpcio on loopback";

    /// <inheritdoc />
    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        TimeSpan duration = options.Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
        int streamCount = options.Quick ? 20_000 : 200_000;

        await log.WriteLineAsync("grpc: HyperSwarm client and server");
        (double oursUnary, double oursStream) = await MeasureOursAsync(duration, streamCount, cancellationToken);
        await log.WriteLineAsync("grpc: python3-grpcio client and server");
        (double grpcioUnary, double grpcioStream) = await MeasureGrpcioAsync(options.PythonPath, duration, streamCount, cancellationToken);

        var figures = new Dictionary<string, double>
        {
            ["unary_per_s"] = oursUnary,
            ["unary_per_s_grpcio"] = grpcioUnary,
            ["unary_ratio_vs_grpcio"] = oursUnary / grpcioUnary,
            ["stream_msgs_per_s"] = oursStream,
            ["stream_msgs_per_s_grpcio"] = grpcioStream,
            ["stream_ratio_vs_grpcio"] = oursStream / grpcioStream,
        };
        BenchRow[] rows =
        [
            new("unary round trips", "hyperswarm", oursUnary, "calls/s"),
            new("unary round trips", "grpcio", grpcioUnary, "calls/s"),
            new("server stream", "hyperswarm", oursStream, "msgs/s"),
            new("server stream", "grpcio", grpcioStream, "msgs/s"),
        ];
        var context = new Dictionary<string, string>
        {
            ["payload_bytes"] = PayloadBytes.ToString(CultureInfo.InvariantCulture),
            ["unary_seconds"] = duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["stream_messages"] = streamCount.ToString(CultureInfo.InvariantCulture),
            ["transport"] = "h2c on 127.0.0.1, one connection, one call at a time",
        };
        return new BenchReport(Name, rows, figures, context);
    }

    private static async Task<(double Unary, double Stream)> MeasureOursAsync(TimeSpan duration, int streamCount, CancellationToken cancellationToken)
    {
        await using var server = new GrpcHost(new GrpcHostOptions()).AddService(new BenchService());
        await server.StartAsync(cancellationToken);
        using var channel = ClusterChannel.Open(server.Address);
        var client = new Bench.BenchClient(channel);
        var request = new BenchPayload { Body = ByteString.CopyFrom(new byte[PayloadBytes]) };

        // Untimed first rounds: JIT, connection setup and tiered compilation stay out of the figures.
        await UnaryLoopAsync(client, request, TimeSpan.FromSeconds(1));
        double unary = await UnaryLoopAsync(client, request, duration);
        await StreamAsync(client, streamCount / 5, cancellationToken);
        double stream = await StreamAsync(client, streamCount, cancellationToken);
        return (unary, stream);
    }

    private static async Task<double> UnaryLoopAsync(Bench.BenchClient client, BenchPayload request, TimeSpan duration)
    {
        long calls = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            await client.UnaryAsync(request);
            calls++;
        }

        return calls / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<double> StreamAsync(Bench.BenchClient client, int count, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var call = client.Stream(new StreamRequest { Count = count, Size = PayloadBytes }, cancellationToken: cancellationToken);
        long messages = 0;
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            messages++;
        }

        return messages / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Unary, double Stream)> MeasureGrpcioAsync(
        string python, TimeSpan duration, int streamCount, CancellationToken cancellationToken)
    {
        await using var server = await GrpcPeerProcess.StartServerAsync(python, cancellationToken);
        string port = server.Port.ToString(CultureInfo.InvariantCulture);
        string size = PayloadBytes.ToString(CultureInfo.InvariantCulture);
        double unary = await GrpcPeerProcess.MeasureAsync(
            python, cancellationToken, "unary", port, duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), size);
        double stream = await GrpcPeerProcess.MeasureAsync(
            python, cancellationToken, "stream", port, streamCount.ToString(CultureInfo.InvariantCulture), size);
        return (unary, stream);
    }
}
