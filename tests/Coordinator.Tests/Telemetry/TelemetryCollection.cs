namespace HyperSwarm.Coordinator.Tests.Telemetry;

/// <summary>
/// Tests that create <c>HyperSwarmTelemetry</c> instances or an exporter. Every instance shares
/// the meter name "HyperSwarm", and the SDK aggregates same-named instruments together, so an
/// exporter test would count another test's exchanges: this collection runs alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "HyperSwarm telemetry";
}
