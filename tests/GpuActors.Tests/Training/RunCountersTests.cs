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
            Elapsed = TimeSpan.FromSeconds(61.5), KeptValidationAccuracy = 0.875, KeptValidationLoss = 0.3125, TopValidationAccuracy = 0.89, StepScale = 0.25, StableSteps = 17,
        };
        var content = new CheckpointContent();

        counters.WriteTo(content);
        var read = RunCounters.ReadFrom(content);

        Assert.Equal((0.25, 17L), (read.StepScale, read.StableSteps));
        Assert.Equal((1234L, 99L, 1234L, 99L), (read.WeightSteps, read.HyperSteps, read.TrainBatches, read.ValidationBatches));
        Assert.Equal(TimeSpan.FromSeconds(61.5), read.Elapsed);
        Assert.Equal((0.875, 0.3125, 0.89), (read.KeptValidationAccuracy, read.KeptValidationLoss, read.TopValidationAccuracy));
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
    [InlineData(0.91, 0.40, 300, true)]          // more accurate, even at a higher loss
    [InlineData(0.90, 0.30, 300, true)]          // a tie: the later model
    [InlineData(0.89, 0.50, 300, true)]          // 1 point under the top, inside its 1.73-point standard error on 300 images
    [InlineData(0.88, 0.10, 300, false)]         // 2 points under: measurably worse, whatever the loss
    [InlineData(0.89, 0.50, 9000, false)]        // 1 point under on 9,000 images (standard error 0.32 points)
    [InlineData(0.897, 0.50, 9000, true)]
    [InlineData(0.90, double.NaN, 300, false)]   // a diverged model is never kept
    [InlineData(0.90, double.PositiveInfinity, 300, false)]
    public void A_model_is_kept_when_its_accuracy_is_within_one_standard_error_of_the_top(double accuracy, double loss, int images, bool expected)
    {
        var counters = new RunCounters { KeptValidationAccuracy = 0.90, KeptValidationLoss = 0.25, TopValidationAccuracy = 0.90 };

        Assert.Equal(expected, counters.ShouldKeep(accuracy, loss, images));
    }

    [Fact]
    public void The_band_follows_the_top_so_the_kept_model_never_drifts_below_it()
    {
        var counters = new RunCounters();
        // 300 images: one standard error at 90 % is 1.73 points.
        var kept = new[] { 0.80, 0.90, 0.885, 0.87, 0.889, 0.95, 0.90 }.Select(a => counters.TryKeep(a, 0.3, 300)).ToArray();

        // 0.87 is 3 points under the top of 0.90; 0.90 is 5 points under the later top of 0.95 (band 1.26 points).
        Assert.Equal([true, true, true, false, true, true, false], kept);
        Assert.Equal((0.95, 0.95), (counters.KeptValidationAccuracy, counters.TopValidationAccuracy));
    }

    [Fact]
    public void The_first_score_is_always_kept_and_sets_the_top()
    {
        var counters = new RunCounters();

        Assert.True(counters.TryKeep(0.1, 2.3, 300));
        Assert.Equal((0.1, 2.3, 0.1), (counters.KeptValidationAccuracy, counters.KeptValidationLoss, counters.TopValidationAccuracy));
    }

    [Theory]
    [InlineData(0.9, 300, 0.017320508)]
    [InlineData(0.9, 9000, 0.003162278)]
    [InlineData(1.0, 300, 0.0)]
    [InlineData(0.5, 0, 0.0)]
    public void The_standard_error_of_an_accuracy_is_sqrt_p_one_minus_p_over_n(double p, int images, double expected)
    {
        Assert.Equal(expected, RunCounters.StandardError(p, images), 8);
    }

    [Fact]
    public void A_checkpoint_from_before_loss_tie_breaks_reads_an_infinite_kept_loss()
    {
        var content = new CheckpointContent();
        new RunCounters { KeptValidationAccuracy = 0.9, KeptValidationLoss = 0.25 }.WriteTo(content);
        content.Metadata.Remove("run.best_validation_loss");

        Assert.Equal(double.PositiveInfinity, RunCounters.ReadFrom(content).KeptValidationLoss);
    }

    [Fact]
    public void A_checkpoint_from_when_the_best_model_was_kept_reads_its_accuracy_as_the_top()
    {
        var content = new CheckpointContent();
        new RunCounters { KeptValidationAccuracy = 0.9, KeptValidationLoss = 0.25, TopValidationAccuracy = 0.95 }.WriteTo(content);
        content.Metadata.Remove("run.top_validation_accuracy");

        Assert.Equal(0.9, RunCounters.ReadFrom(content).TopValidationAccuracy);
    }
}
