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
            Elapsed = TimeSpan.FromSeconds(61.5), BestValidationAccuracy = 0.875, StepScale = 0.25,
        };
        var content = new CheckpointContent();

        counters.WriteTo(content);
        var read = RunCounters.ReadFrom(content);

        Assert.Equal(0.25, read.StepScale);
        Assert.Equal((1234L, 99L, 1234L, 99L), (read.WeightSteps, read.HyperSteps, read.TrainBatches, read.ValidationBatches));
        Assert.Equal(TimeSpan.FromSeconds(61.5), read.Elapsed);
        Assert.Equal(0.875, read.BestValidationAccuracy);
    }

    [Fact]
    public void A_checkpoint_from_before_step_scales_reads_as_full_steps()
    {
        var content = new CheckpointContent();
        new RunCounters { StepScale = 0.5 }.WriteTo(content);
        content.Metadata.Remove("run.step_scale");

        Assert.Equal(1, RunCounters.ReadFrom(content).StepScale);
    }
}
