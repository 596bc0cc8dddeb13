using HyperSwarm.GpuActors.Training;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// What a <see cref="MemberActor"/> obeys, one at a time in the order sent (plain immutable
/// records). Training commands take effect between two steps.
/// </summary>
public abstract record MemberMessage
{
    private MemberMessage()
    {
    }

    /// <summary>
    /// Starts training <paramref name="Config"/>: fresh, or resumed from the checkpoint
    /// <paramref name="ResumeFrom"/> (fetched first when another worker holds it). A non-empty
    /// <paramref name="Hyperparameters"/> then replaces the member's λ, σ (and gates, if given).
    /// </summary>
    public sealed record Start(TrainConfig Config, HyperparameterState? Hyperparameters = null, CheckpointRef? ResumeFrom = null) : MemberMessage;

    /// <summary>Hyperparameter-only exchange: <paramref name="Hyperparameters"/> (of <paramref name="SourceMemberId"/>) replace this member's; its weights stay.</summary>
    public sealed record Exchange(HyperparameterState Hyperparameters, string SourceMemberId = "") : MemberMessage
    {
        /// <summary>The coordinator's decision it carries out (named back if it fails); 0 when none.</summary>
        public long Decision { get; init; }
    }

    /// <summary>Weight exploit from <paramref name="Source"/>, then <paramref name="Hyperparameters"/> (or, when empty, the loaded ones times <paramref name="ExploreScale"/>).</summary>
    public sealed record Exploit(CheckpointRef Source, HyperparameterState Hyperparameters, double ExploreScale) : MemberMessage
    {
        /// <summary>The coordinator's decision it carries out (named back if it fails); 0 when none.</summary>
        public long Decision { get; init; }
    }

    /// <summary>Write a checkpoint now (announced as <see cref="MemberEvent.Checkpointed"/>).</summary>
    public sealed record CheckpointNow : MemberMessage;

    /// <summary>Checkpoint and end, before the next step (announced as <see cref="MemberEvent.Ended"/>).</summary>
    public sealed record Stop(string Reason) : MemberMessage;
}
