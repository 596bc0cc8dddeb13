using OpenTelemetry.Exporter;

namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>Where and how one signal (metrics or traces) is exported.</summary>
/// <param name="Endpoint">The full URL the exporter sends to (for http/protobuf it includes <c>/v1/metrics</c> or <c>/v1/traces</c>).</param>
/// <param name="Protocol">gRPC or HTTP with protobuf bodies.</param>
public sealed record OtlpSignalExport(Uri Endpoint, OtlpExportProtocol Protocol);
