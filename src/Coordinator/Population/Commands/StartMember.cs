namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// Train <paramref name="MemberId"/> in slot <paramref name="Slot"/> (on <paramref name="Device"/>)
/// under fencing <paramref name="Epoch"/>, from <paramref name="ResumeFrom"/> when set or from
/// scratch otherwise. <paramref name="Hyperparameters"/> win over the hyper state inside the
/// checkpoint: that is how a restored member gets its re-explored values.
/// </summary>
public sealed record StartMember(
    string MemberId,
    string WorkerId,
    int Slot,
    string Device,
    long Epoch,
    HyperparameterSet Hyperparameters,
    CheckpointReference? ResumeFrom) : PopulationCommand(MemberId, WorkerId)
{
    /// <summary>The run's budget and the moment it is spent; null for a run without one.</summary>
    public RunWindow? Window { get; init; }
}
