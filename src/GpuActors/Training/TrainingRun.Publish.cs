using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Training;

// Publishing weights that were trained elsewhere: the population's best member.
public sealed partial class TrainingRun
{
    /// <summary>
    /// Scores the weights this run holds now (typically just loaded with <see cref="ResumeFrom"/>)
    /// on the test split and exports them, with a model card, into <paramref name="modelDirectory"/>.
    /// <c>hyperswarm run</c> publishes the population's best member this way: its last checkpoint
    /// is what the coordinator ranked, and may be newer than the member's own best-validation export.
    /// With weight averaging, the average is what is scored and exported, as in training.
    /// </summary>
    public (Evaluation Test, Evaluation Validation) TestAndExport(string modelDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        using var swap = average is null ? default : average.SwapIn();
        var test = Evaluate(Enumerable.Range(0, data.Test.Count).ToList(), data.Test);
        var batchesPerEpoch = Math.Max(1, BatchProducer.BatchesPerEpoch(trainIndices.Count, batchSize, dropLast: true));
        // These weights' own validation score, not the best of the run's history they came from.
        var validation = Evaluate(validationIndices, data.Train);
        var card = Card(validation.Accuracy, test.Accuracy, batchesPerEpoch);
        ExportedModel.SaveAsync(modelDirectory, ExportedModel.Snapshot(model, space, counters.WeightSteps), card, cancellationToken)
            .GetAwaiter().GetResult();
        return (test, validation);
    }
}
