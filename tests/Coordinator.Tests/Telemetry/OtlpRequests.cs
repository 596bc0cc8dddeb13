using Google.Protobuf.Collections;
using HyperSwarm.Coordinator.Tests.Telemetry.Otlp.Collector;
using HyperSwarm.Coordinator.Tests.Telemetry.Otlp.Common;
using HyperSwarm.Coordinator.Tests.Telemetry.Otlp.Metrics;
using HyperSwarm.Coordinator.Tests.Telemetry.Otlp.Trace;

namespace HyperSwarm.Coordinator.Tests.Telemetry;

/// <summary>Decodes received export bodies with the tests' own OTLP messages and flattens them for assertions.</summary>
internal static class OtlpRequests
{
    public static IReadOnlyList<ExportMetricsServiceRequest> Metrics(IEnumerable<ReceivedExport> exports) =>
        exports.Select(e => ExportMetricsServiceRequest.Parser.ParseFrom(e.Body)).ToList();

    public static IReadOnlyList<ExportTraceServiceRequest> Traces(IEnumerable<ReceivedExport> exports) =>
        exports.Select(e => ExportTraceServiceRequest.Parser.ParseFrom(e.Body)).ToList();

    /// <summary>Every metric of the HyperSwarm scope, across requests.</summary>
    public static IReadOnlyList<Metric> HyperSwarmMetrics(IEnumerable<ExportMetricsServiceRequest> requests) =>
        requests.SelectMany(r => r.ResourceMetrics)
            .SelectMany(r => r.ScopeMetrics)
            .Where(s => s.Scope?.Name == "HyperSwarm")
            .SelectMany(s => s.Metrics)
            .ToList();

    public static IReadOnlyList<Span> Spans(IEnumerable<ExportTraceServiceRequest> requests) =>
        requests.SelectMany(r => r.ResourceSpans)
            .SelectMany(r => r.ScopeSpans)
            .Where(s => s.Scope?.Name == "HyperSwarm")
            .SelectMany(s => s.Spans)
            .ToList();

    public static IEnumerable<NumberDataPoint> Points(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints,
        _ => [],
    };

    public static double Value(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;

    /// <summary>An attribute's value as text (strings as is, numbers invariant), or null when absent.</summary>
    public static string? Attribute(RepeatedField<KeyValue> attributes, string key)
    {
        AnyValue? value = attributes.FirstOrDefault(a => a.Key == key)?.Value;
        return value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            _ => null,
        };
    }
}
