using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

/// <summary>The run's counters as checkpoint metadata: what resume reads back.</summary>
public sealed class RunCountersTests
{
    [Fact]
    public void Counters_and_a_halved_step_scale_survive_a_checkpoint()
    {
        var counters = new RunCounters
        {
            WeightSteps = 1234, HyperSteps = 99, TrainBatches = 1234, ValidationBatches = 99,
            Elapsed = TimeSpan.FromSeconds(61.5), BestValidationAccuracy = 0.875, BestValidationLoss = 0.3125, StepScale = 0.25, StableSteps = 17,
        };
        var content = new CheckpointContent();

        counters.WriteTo(content);
        var read = RunCounters.ReadFrom(content);

        Assert.Equal((0.25, 17L), (read.StepScale, read.StableSteps));
        Assert.Equal((1234L, 99L, 1234L, 99L), (read.WeightSteps, read.HyperSteps, read.TrainBatches, read.ValidationBatches));
        Assert.Equal(TimeSpan.FromSeconds(61.5), read.Elapsed);
        Assert.Equal(0.875, read.BestValidationAccuracy);
        Assert.Equal(0.3125, read.BestValidationLoss);
    }

    [Fact]
    public void A_checkpoint_from_before_step_scales_reads_as_full_steps()
    {
        var content = new CheckpointContent();
        new RunCounters { StepScale = 0.5 }.WriteTo(content);
        content.Metadata.Remove("run.step_scale");

        Assert.Equal(1, RunCounters.ReadFrom(content).StepScale);
    }

    [Fact]
    public void A_backed_off_scale_doubles_back_after_each_stable_stretch_up_to_full()
    {
        var counters = new RunCounters();
        counters.BackOff();
        counters.BackOff();
        Assert.Equal(0.25, counters.StepScale);

        var grew = Enumerable.Range(0, 12).Select(_ => counters.StableStep(5)).ToList();

        // Grows at the 5th and 10th stable step, then stays at full and stops counting.
        Assert.Equal([4, 9], grew.Select((g, i) => (g, i)).Where(p => p.g).Select(p => p.i));
        Assert.Equal(1, counters.StepScale);
        Assert.Equal(0, counters.StableSteps);
    }

    [Fact]
    public void A_divergence_restarts_the_stable_stretch()
    {
        var counters = new RunCounters();
        counters.BackOff();
        for (var i = 0; i < 4; i++) counters.StableStep(5);

        counters.BackOff();

        Assert.Equal((0.25, 0L), (counters.StepScale, counters.StableSteps));
        Assert.False(counters.StableStep(5));
    }

    [Theory]
    [InlineData(0.91, 0.40, true)]   // more accurate, even at a higher loss
    [InlineData(0.90, 0.24, true)]   // a tie, lower loss: the settled later model
    [InlineData(0.90, 0.25, false)]  // the same scores: the earlier model stays
    [InlineData(0.90, 0.26, false)]
    [InlineData(0.89, 0.10, false)]  // less accurate, whatever the loss
    [InlineData(0.90, double.NaN, false)]
    public void A_new_best_is_more_accurate_or_as_accurate_with_a_lower_loss(double accuracy, double loss, bool expected)
    {
        var counters = new RunCounters { BestValidationAccuracy = 0.90, BestValidationLoss = 0.25 };

        Assert.Equal(expected, counters.IsNewBest(accuracy, loss));
    }

    [Fact]
    public void A_checkpoint_from_before_loss_tie_breaks_lets_any_equally_accurate_model_win()
    {
        var content = new CheckpointContent();
        new RunCounters { BestValidationAccuracy = 0.9, BestValidationLoss = 0.25 }.WriteTo(content);
        content.Metadata.Remove("run.best_validation_loss");

        Assert.Equal(double.PositiveInfinity, RunCounters.ReadFrom(content).BestValidationLoss);
    }
}
