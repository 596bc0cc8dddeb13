using System.Collections.Immutable;

namespace HyperSwarm.Coordinator.Sharding;

/// <summary>
/// A worker as allocation sees it: one member slot per entry of <see cref="Devices"/> (the device
/// that slot trains on) and the address of its Worker service.
/// </summary>
public sealed record WorkerSlots(string Id, string Address, ImmutableArray<string> Devices, DateTimeOffset JoinedAt)
{
    /// <summary>How many members the worker trains at once.</summary>
    public int Capacity => Devices.Length;
}
