using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Tests.Training;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Compression;

// compression.sparsity turns targeted dropout on in a real run: α is one more tuned
// hyperparameter (or a fixed one without self-tuning), and the run gives back every tensor.
public sealed class TargetedDropoutTrainingTests : IDisposable
{
    private readonly SyntheticImages data = new();
    private readonly TempDirectory runs = new();

    [Theory]
    [InlineData("small-cnn", "unit")]
    [InlineData("densenet-bc", "weight")]
    public void A_self_tuning_run_tunes_alpha_and_leaves_no_live_tensors(string model, string targeting)
    {
        var before = Torch.Torch.LiveTensors;
        var config = TinyRuns.Config(data.Directory, model, maxSteps: 30) with { Compression = new CompressionConfig { Sparsity = 0.5, Targeting = targeting } };
        TrainingResult result;
        using (var run = new TrainingRun(config, new RunDirectory(runs.File(model))))
        {
            result = run.Run();
        }

        Assert.Equal(before, Torch.Torch.LiveTensors);
        var alpha = result.Hyperparameters[HyperparameterNames.TargetedDropout];
        Assert.NotEqual(0.5, alpha); // the hyper steps moved it from its start
        Assert.InRange(alpha, 0, 0.95);
        Assert.Equal(30, result.WeightSteps);
        Assert.True(result.HyperSteps > 0);
        Assert.True(double.IsFinite(result.Test.Loss), $"test loss {result.Test.Loss}");
    }

    [Fact]
    public void Without_compression_there_is_no_targeted_rate_and_without_stn_it_is_fixed()
    {
        var plain = HyperparameterPlan.Resolve(new StnConfig(), "small-cnn");
        var fixedRate = HyperparameterPlan.Resolve(new StnConfig { Enabled = false }, "small-cnn", targeted: true);

        Assert.DoesNotContain(plain.Tuned, s => s.Name == HyperparameterNames.TargetedDropout);
        Assert.Equal(0.5, fixedRate.Fixed[HyperparameterNames.TargetedDropout]);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.2)]
    public void A_sparsity_outside_0_to_099_is_one_sentence(double sparsity)
    {
        var config = TinyRuns.Config(data.Directory) with { Compression = new CompressionConfig { Sparsity = sparsity } };

        var e = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Equal($"compression.sparsity must lie in [0, 0.99], got {sparsity}.", e.Message);
    }

    public void Dispose()
    {
        data.Dispose();
        runs.Dispose();
    }
}
