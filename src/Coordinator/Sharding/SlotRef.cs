namespace HyperSwarm.Coordinator.Sharding;

/// <summary>Slot <see cref="Index"/> of worker <see cref="WorkerId"/>, which trains on <see cref="Device"/>.</summary>
public sealed record SlotRef(string WorkerId, int Index, string Device)
{
    /// <inheritdoc />
    public override string ToString() => $"{WorkerId}/{Index} ({Device})";
}
