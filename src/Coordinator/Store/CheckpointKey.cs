namespace HyperSwarm.Coordinator.Store;

/// <summary>Identifies one checkpoint: a member saves at most one per step.</summary>
public readonly record struct CheckpointKey(string MemberId, long Step)
{
    /// <inheritdoc/>
    public override string ToString() => $"{MemberId}@{Step}";
}
