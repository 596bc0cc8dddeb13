using System.Collections.Immutable;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// A worker joined (or rejoined) with one slot per entry of <paramref name="Devices"/>; a device
/// name may repeat when one device hosts several members.
/// </summary>
public sealed record WorkerJoined(DateTimeOffset Now, string WorkerId, string Address, ImmutableArray<string> Devices) : PopulationInput(Now);
