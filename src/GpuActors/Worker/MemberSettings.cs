using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>Where and how a <see cref="MemberActor"/> trains.</summary>
public sealed record MemberSettings
{
    /// <summary>The member's id (a plain name, see <see cref="CheckpointRoot.IsValidMemberId"/>).</summary>
    public required string MemberId { get; init; }

    /// <summary>Finds checkpoints to resume or exploit from; its root holds the member's run directory.</summary>
    public required CheckpointLocator Checkpoints { get; init; }

    /// <summary>libtorch intra-op threads on the member's thread.</summary>
    public int TorchThreads { get; init; } = 1;

    /// <summary>Stamped on the member's checkpoint references: this worker's Worker-service address, or empty on shared storage.</summary>
    public string WorkerAddress { get; init; } = string.Empty;

    /// <summary>Weight steps between reports; 0 uses the run's <c>reporting.log_every_steps</c>.</summary>
    public int ReportEverySteps { get; init; }

    /// <summary>Faults injected on purpose (tests with real processes); none by default.</summary>
    public NanFailpoints Failpoints { get; init; } = NanFailpoints.None;

    /// <summary>Hears every step, progress report and notice of the member's run, on the member's thread; none by default.</summary>
    public TrainingObserver? Observer { get; init; }
}
