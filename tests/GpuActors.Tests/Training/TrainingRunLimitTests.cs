using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// Every way a run can end must still end in a scored, written result, named by what stopped it.
public sealed class TrainingRunLimitTests : IDisposable
{
    private readonly SyntheticImages data = new();
    private readonly TempDirectory runs = new();

    [Fact]
    public void A_wall_clock_budget_alone_stops_the_run()
    {
        var budget = TimeSpan.FromSeconds(1);
        var config = TinyRuns.Config(data.Directory, stn: false, optimizer: "adam", maxSteps: null) with { Budget = budget };
        using var run = new TrainingRun(config);

        var result = run.Run();

        Assert.Equal("budget", result.StoppedBy);
        Assert.True(result.WeightSteps > 0);
        Assert.True(result.Elapsed >= budget, $"stopped after {result.Elapsed}");
        Assert.Equal(300, result.Test.Examples);
    }

    [Fact]
    public void An_epoch_limit_stops_after_that_many_passes()
    {
        // 1200 · 0.85 = 1020 training images → 31 batches of 32 per epoch.
        var config = TinyRuns.Config(data.Directory, stn: false, optimizer: "adam", maxSteps: null) with { Epochs = 0.5 };
        using var run = new TrainingRun(config);

        var result = run.Run();

        Assert.Equal("epochs", result.StoppedBy);
        Assert.Equal(16, result.WeightSteps); // ⌈0.5 · 31⌉
    }

    [Fact]
    public void A_run_cancelled_before_its_first_step_still_produces_a_result()
    {
        var directory = new RunDirectory(runs.File("cancelled"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var run = new TrainingRun(TinyRuns.Config(data.Directory), directory);

        var result = run.Run(cancelled.Token);

        Assert.Equal("cancelled", result.StoppedBy);
        Assert.Equal(0, result.WeightSteps);
        Assert.Equal(300, result.Test.Examples);
        Assert.True(File.Exists(directory.ResultPath));
        Assert.True(File.Exists(result.ModelCardPath));
    }

    public void Dispose()
    {
        runs.Dispose();
        data.Dispose();
    }
}
