using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Training;

/// <summary>What a member reports to its owner every few weight steps (the body of a <c>MemberReport</c>).</summary>
public sealed record MemberProgress
{
    /// <summary>Weight steps taken.</summary>
    public required long Step { get; init; }

    /// <summary>Passes over the training split so far (fractional).</summary>
    public required double Epoch { get; init; }

    /// <summary>Mean training loss since the previous report.</summary>
    public required double TrainLoss { get; init; }

    /// <summary>Loss of the latest validation evaluation; NaN before the first.</summary>
    public required double ValidationLoss { get; init; }

    /// <summary>Accuracy of the latest validation evaluation; NaN before the first.</summary>
    public required double ValidationAccuracy { get; init; }

    /// <summary>Training examples per second since the previous report.</summary>
    public required double ExamplesPerSecond { get; init; }

    /// <summary>λ, σ and the hyper gates now.</summary>
    public required HyperparameterState Hyperparameters { get; init; }
}
