namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>An <c>OTEL_*</c> variable HyperSwarm cannot use; the message is one sentence naming it.</summary>
public sealed class TelemetryConfigurationException(string message) : Exception(message);
