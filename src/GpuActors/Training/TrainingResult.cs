namespace HyperSwarm.GpuActors.Training;

/// <summary>What a finished run produced.</summary>
public sealed record TrainingResult
{
    /// <summary>The kept model's validation scores (the one exported and tested).</summary>
    public required Evaluation Validation { get; init; }

    /// <summary>The kept model's test scores: the test split is touched only here.</summary>
    public required Evaluation Test { get; init; }

    /// <summary>Weight steps taken.</summary>
    public required long WeightSteps { get; init; }

    /// <summary>Hyper steps taken.</summary>
    public required long HyperSteps { get; init; }

    /// <summary>Passes over the training split.</summary>
    public required double Epochs { get; init; }

    /// <summary>Training time (across resumes), excluding the final test.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Final hyperparameter values.</summary>
    public required IReadOnlyDictionary<string, double> Hyperparameters { get; init; }

    /// <summary>Which limit ended training: <c>budget</c>, <c>epochs</c>, <c>max_steps</c> or <c>cancelled</c>; <c>stopped</c> when the owner stopped it (then <see cref="Test"/> is empty).</summary>
    public required string StoppedBy { get; init; }

    /// <summary>The exported model's card, when the run had a directory.</summary>
    public string? ModelCardPath { get; init; }
}
