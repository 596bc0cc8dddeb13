using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// A node trains many runs in one process: a finished run must give back every tensor it made,
// and a run that cannot start must say which path is wrong.
public sealed class TrainingRunLifetimeTests : IDisposable
{
    private readonly SyntheticImages data = new();
    private readonly TempDirectory runs = new();

    [Theory]
    [InlineData(true)]   // hyper layers, λ/σ, hyper optimizer, best-model snapshots
    [InlineData(false)]  // the plain network with fixed regularisers
    public void A_disposed_run_leaves_no_live_tensors(bool stn)
    {
        var before = Torch.Torch.LiveTensors;
        using (var run = new TrainingRun(TinyRuns.Config(data.Directory, stn: stn, optimizer: "adam"), new RunDirectory(runs.File("run"))))
        {
            run.Run();
            Assert.True(Torch.Torch.LiveTensors > before);
        }

        Assert.Equal(before, Torch.Torch.LiveTensors);
    }

    [Fact]
    public void A_missing_data_folder_is_a_data_format_error_naming_it()
    {
        var missing = Path.Combine(runs.Path, "no-such-dataset");
        var config = TinyRuns.Config(missing);
        var before = Torch.Torch.LiveTensors;

        var e = Assert.Throws<DataFormatException>(() => new TrainingRun(config));

        Assert.Equal(missing, e.Path);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Torch.Torch.LiveTensors);
    }

    public void Dispose()
    {
        runs.Dispose();
        data.Dispose();
    }
}
