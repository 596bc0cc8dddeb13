using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;
using HyperSwarm.Torch.Tests.Support;

namespace HyperSwarm.GpuActors.Tests.Training;

/// <summary>Training on a CUDA device: skipped, visibly, without a GPU.</summary>
[Trait("Category", "Gpu")]
public sealed class GpuTrainingTests : IDisposable
{
    private readonly SyntheticImages data = new();

    [GpuFact]
    public void A_self_tuning_run_learns_on_the_gpu_and_leaves_no_tensors_behind()
    {
        var liveBefore = Torch.Torch.LiveTensors;
        var config = TinyRuns.Config(data.Directory, maxSteps: 60) with { Device = "cuda:0" };
        TrainingResult result;
        using (var run = new TrainingRun(config))
        {
            Assert.All(run.Model.Parameters(), p => Assert.Equal(run.Device, p.Value.Device));
            result = run.Run();
        }

        Assert.Equal(60, result.WeightSteps);
        Assert.True(result.HyperSteps > 0);
        Assert.True(result.Test.Accuracy > TinyRuns.WellAboveChance, $"test accuracy {result.Test.Accuracy}");
        Assert.Equal(liveBefore, Torch.Torch.LiveTensors);
    }

    [GpuFact]
    public void A_gpu_checkpoint_resumes_on_the_cpu_with_the_same_weights()
    {
        using var runs = new TempDirectory();
        var directory = new RunDirectory(runs.File("gpu"));
        var config = TinyRuns.Config(data.Directory, maxSteps: 10) with { Device = "cuda:0" };
        using (var run = new TrainingRun(config, directory))
        {
            run.Run();
        }

        var saved = CheckpointReader.Read(Directory.GetFiles(directory.CheckpointsPath, "step-*.safetensors").Max()!);
        using var resumed = new TrainingRun(config with { Device = "cpu", MaxSteps = 20 }, directory);
        Assert.True(resumed.Resume());
        Assert.Equal(10, resumed.WeightSteps);
        foreach (var (name, parameter) in resumed.Model.NamedParameters())
        {
            Assert.Equal(Device.Cpu, parameter.Value.Device);
            Assert.Equal(saved.Section(CheckpointSections.Parameters).Single(t => t.Name == name).Tensor.Data, HostTensor.FromTensor(parameter.Value).Data);
        }
    }

    public void Dispose() => data.Dispose();
}
