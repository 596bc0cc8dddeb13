using System.Net;
using HyperSwarm.Coordinator.Telemetry;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Coordinator.Tests.Telemetry.Otlp.Collector;
using HyperSwarm.Coordinator.Tests.Telemetry.Otlp.Metrics;
using HyperSwarm.Coordinator.Tests.Telemetry.Otlp.Trace;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using static HyperSwarm.Coordinator.Tests.Telemetry.OtlpRequests;

namespace HyperSwarm.Coordinator.Tests.Telemetry;

/// <summary>Telemetry put into a node's host (the hosting integration), seen by an in-test OTLP collector and a scraper.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetrySetupTests
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Without_an_endpoint_nothing_is_exported()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "x" });
        var export = TelemetryExport.Of(host.Services!);

        Assert.False(export.CollectsMetrics);
        Assert.False(export.ExportsTraces);
        Assert.True(export.ForceFlush(FlushTimeout));
    }

    [Fact]
    public async Task The_scrape_endpoint_serves_each_members_last_report_to_prometheus()
    {
        using var telemetry = new HyperSwarmTelemetry();
        await using var host = await StartAsync(new Dictionary<string, string?>(), prometheus: true, http: new IPEndPoint(IPAddress.Loopback, 0));
        telemetry.RecordReport("m1", 640, 0.9, 1.125, 0.625, new Dictionary<string, double> { ["dropout"] = 0.25 }, 1800.5);
        telemetry.RecordReport("m1", 660, 0.8, 1.0, 0.6875, new Dictionary<string, double> { ["dropout"] = 0.5 }, 1900);

        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(host.HttpAddress!, TelemetrySetup.ScrapePath));
        var text = await response.Content.ReadAsStringAsync();
        var accuracy = text.Split('\n').Single(l => l.StartsWith("hyperswarm_member_validation_accuracy", StringComparison.Ordinal) && l.Contains("member=\"m1\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.EndsWith(" 0.6875", accuracy.Split(" # ")[0].TrimEnd(), StringComparison.Ordinal); // the last report, not the first
        Assert.Contains("hyperparameter=\"dropout\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_and_spans_reach_an_otlp_http_collector()
    {
        await using OtlpCollector collector = await OtlpCollector.StartAsync(HttpProtocols.Http1);
        using var telemetry = new HyperSwarmTelemetry();
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-hyperswarm-test=otlp",
            ["OTEL_SERVICE_NAME"] = "hs-test",
            // An hour: only ForceFlush exports, so the test sees exactly one collection.
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "3600000",
        });
        var export = TelemetryExport.Of(host.Services!);

        telemetry.RecordReport("m1", 640, 0.9, 1.125, 0.625, new Dictionary<string, double> { ["dropout"] = 0.25, ["cutout"] = 3 }, 1800.5);
        telemetry.RecordReport("m2", 650, 0.7, 0.875, 0.75, new Dictionary<string, double> { ["dropout"] = 0.1 }, 1700);
        telemetry.RecordReport("m1", 660, 0.8, 1.0, 0.6875, new Dictionary<string, double> { ["dropout"] = 0.5, ["cutout"] = 3 }, 1900);
        using (telemetry.StartJoin("w1"))
        {
        }

        using (telemetry.StartExchange(ExchangeKind.Exploit, "m2", "m1"))
        {
            telemetry.RecordExchange(ExchangeKind.Exploit, "m2", "m1");
            using (telemetry.StartExploitTransfer("m2", "m1", 650))
            {
            }
        }

        telemetry.RecordExchange(ExchangeKind.Exploit, "m2", "m3");
        telemetry.RecordExchange(ExchangeKind.Hyperparameters, "m2", "m4");
        using (telemetry.StartCheckpoint("m2", 650))
        {
        }

        Assert.True(await Task.Run(() => export.ForceFlush(FlushTimeout)));
        ReceivedExport metricsRequest = await collector.FirstAsync("/v1/metrics");
        ReceivedExport tracesRequest = await collector.FirstAsync("/v1/traces");

        Assert.Equal("application/x-protobuf", metricsRequest.ContentType);
        Assert.Equal("otlp", metricsRequest.Headers["x-hyperswarm-test"]);
        Assert.Equal("otlp", tracesRequest.Headers["x-hyperswarm-test"]);

        IReadOnlyList<ExportMetricsServiceRequest> metricRequests = Metrics(collector.Received.Where(r => r.Path == "/v1/metrics"));
        Assert.Equal("hs-test", Attribute(metricRequests[0].ResourceMetrics[0].Resource.Attributes, "service.name"));
        IReadOnlyList<Metric> metrics = HyperSwarmMetrics(metricRequests);

        // Gauges keep the last report of each member.
        Assert.Equal(new Dictionary<string, double> { ["m1"] = 1.0, ["m2"] = 0.875 }, ByMember(metrics, TelemetryNames.ValidationLoss));
        Assert.Equal(new Dictionary<string, double> { ["m1"] = 0.8, ["m2"] = 0.7 }, ByMember(metrics, TelemetryNames.TrainLoss));
        Assert.Equal(new Dictionary<string, double> { ["m1"] = 0.6875, ["m2"] = 0.75 }, ByMember(metrics, TelemetryNames.ValidationAccuracy));
        Assert.Equal(new Dictionary<string, double> { ["m1"] = 660, ["m2"] = 650 }, ByMember(metrics, TelemetryNames.Step));
        Assert.Equal(new Dictionary<string, double> { ["m1"] = 1900, ["m2"] = 1700 }, ByMember(metrics, TelemetryNames.Throughput));
        Metric throughput = Single(metrics, TelemetryNames.Throughput);
        Assert.Equal(("{image}/s", Metric.DataOneofCase.Gauge), (throughput.Unit, throughput.DataCase));

        Metric hyper = Single(metrics, TelemetryNames.HyperparameterValue);
        Assert.Equal(
            [("m1", "cutout", 3.0), ("m1", "dropout", 0.5), ("m2", "dropout", 0.1)],
            Points(hyper).Select(p => (Attribute(p.Attributes, "member")!, Attribute(p.Attributes, "hyperparameter")!, Value(p))).Order());

        Metric exchanges = Single(metrics, TelemetryNames.Exchanges);
        Assert.Equal((Metric.DataOneofCase.Sum, true, AggregationTemporality.Cumulative), (exchanges.DataCase, exchanges.Sum.IsMonotonic, exchanges.Sum.AggregationTemporality));
        Assert.Equal(
            new Dictionary<string, double> { ["exploit"] = 2, ["hyperparameters"] = 1 },
            Points(exchanges).ToDictionary(p => Attribute(p.Attributes, "kind")!, Value));
        Assert.Equal(3, Value(Assert.Single(Points(Single(metrics, TelemetryNames.Reports)))));

        IReadOnlyList<Span> spans = Spans(Traces(collector.Received.Where(r => r.Path == "/v1/traces")));
        Assert.Equal(
            [TelemetryNames.ExploitTransferSpan, TelemetryNames.CheckpointSpan, TelemetryNames.ExchangeSpan, TelemetryNames.JoinSpan],
            spans.Select(s => s.Name).Order(StringComparer.Ordinal));
        Span exchange = spans.Single(s => s.Name == TelemetryNames.ExchangeSpan);
        Span transfer = spans.Single(s => s.Name == TelemetryNames.ExploitTransferSpan);
        Assert.Equal(exchange.SpanId, transfer.ParentSpanId);
        Assert.Equal(("exploit", "m2", "m1"), (Attribute(exchange.Attributes, "kind"), Attribute(exchange.Attributes, "source_member"), Attribute(exchange.Attributes, "member")));
        Assert.Equal("650", Attribute(transfer.Attributes, "step"));
        Assert.Equal("w1", Attribute(spans.Single(s => s.Name == TelemetryNames.JoinSpan).Attributes, "worker"));
    }

    [Fact]
    public async Task Traces_alone_can_go_to_their_own_endpoint_over_grpc()
    {
        await using OtlpCollector collector = await OtlpCollector.StartAsync(HttpProtocols.Http2);
        using var telemetry = new HyperSwarmTelemetry();
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = collector.BaseAddress.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        });
        var export = TelemetryExport.Of(host.Services!);

        using (telemetry.StartCheckpoint("m5", 1200))
        {
        }

        telemetry.RecordReport("m5", 1200, 0.5, 0.5, 0.5, new Dictionary<string, double>(), 10);
        Assert.True(await Task.Run(() => export.ForceFlush(FlushTimeout)));
        ReceivedExport traces = await collector.FirstAsync(OtlpCollector.GrpcTracesPath);

        Assert.False(export.CollectsMetrics);
        Assert.StartsWith("application/grpc", traces.ContentType, StringComparison.Ordinal);
        Span checkpoint = Assert.Single(Spans(Traces([traces])));
        Assert.Equal((TelemetryNames.CheckpointSpan, "m5", "1200"), (checkpoint.Name, Attribute(checkpoint.Attributes, "member"), Attribute(checkpoint.Attributes, "step")));
        Assert.All(collector.Received, r => Assert.Equal(OtlpCollector.GrpcTracesPath, r.Path));
    }

    [Fact]
    public async Task Stopping_the_host_flushes_what_was_recorded()
    {
        await using OtlpCollector collector = await OtlpCollector.StartAsync(HttpProtocols.Http1);
        using var telemetry = new HyperSwarmTelemetry();
        var host = await StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = collector.BaseAddress + "custom/metrics",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "3600000",
        });

        telemetry.RecordReport("m9", 5, 2.5, 2.25, 0.125, new Dictionary<string, double>(), 42);
        await host.DisposeAsync();
        ReceivedExport received = await collector.FirstAsync("/custom/metrics");

        Assert.Equal(
            new Dictionary<string, double> { ["m9"] = 2.25 },
            ByMember(HyperSwarmMetrics(Metrics([received])), TelemetryNames.ValidationLoss));
    }

    // A node's host with nothing but telemetry in it, as the coordinator and worker commands add it.
    private static async Task<GrpcHost> StartAsync(Dictionary<string, string?> environment, bool prometheus = false, IPEndPoint? http = null)
    {
        var host = new GrpcHost(new GrpcHostOptions { HttpEndpoint = http });
        TelemetrySetup.AddTo(host, environment, prometheus);
        await host.StartAsync();
        return host;
    }

    private static Metric Single(IReadOnlyList<Metric> metrics, string name) => Assert.Single(metrics, m => m.Name == name);

    private static Dictionary<string, double> ByMember(IReadOnlyList<Metric> metrics, string name) =>
        Points(Single(metrics, name)).ToDictionary(p => Attribute(p.Attributes, "member")!, Value);
}
