using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// Without self-tuning every weight optimizer must still train the network end to end: the
// schedule, the fixed regularisers and the evaluation path are shared by all three.
public sealed class TrainingRunOptimizerTests : IDisposable
{
    private readonly SyntheticImages data = new();

    [Theory]
    [InlineData("agd", 100)]  // AGD starts slowly (η ≈ G while G is small): ~70 steps to leave chance here
    [InlineData("adam", 30)]
    [InlineData("sgd", 60)]   // the one-cycle schedule spends its first steps warming the rate up
    public void A_plain_run_learns_the_synthetic_classes(string optimizer, long steps)
    {
        var config = TinyRuns.Config(data.Directory, stn: false, optimizer: optimizer, maxSteps: steps);
        var losses = new List<double>();
        using var run = new TrainingRun(config, observer: new TrainingObserver { Step = (_, _, loss) => losses.Add(loss) });

        var result = run.Run();

        Assert.Equal(steps, result.WeightSteps);
        Assert.Equal(0, result.HyperSteps);
        Assert.Equal(steps, losses.Count); // no hyper steps without self-tuning
        Assert.True(result.Test.Accuracy > TinyRuns.WellAboveChance, $"{optimizer}: test accuracy {result.Test.Accuracy}");
        Assert.True(losses.TakeLast(5).Average() < losses.Take(5).Average(), $"{optimizer}: the training loss did not fall");
    }

    [Theory]
    [InlineData("agd", null, true)]    // AGD averages by default: it has no schedule to settle its weights
    [InlineData("adam", null, false)]  // the baselines run as their users run them
    [InlineData("adam", true, true)]
    [InlineData("agd", false, false)]
    public void Checkpoints_carry_the_weight_average_exactly_when_the_run_averages(string optimizer, bool? averageWeights, bool expected)
    {
        using var runs = new TempDirectory();
        var config = TinyRuns.Config(data.Directory, stn: false, optimizer: optimizer, maxSteps: 10);
        config = config with { Optimizer = config.Optimizer with { AverageWeights = averageWeights } };
        var directory = new RunDirectory(runs.File("run"));
        using (var run = new TrainingRun(config, directory))
        {
            run.Run();
        }

        var checkpoint = CheckpointReader.Read(Directory.GetFiles(directory.CheckpointsPath, "step-*.safetensors").Max()!);
        var averaged = checkpoint.Section(CheckpointSections.Average).Select(t => t.Name).ToList();
        var parameters = checkpoint.Section(CheckpointSections.Parameters).Select(t => t.Name).ToList();
        Assert.Equal(expected ? parameters : [], averaged);
        Assert.Equal(expected, config.Optimizer.AveragesWeights);
    }

    [Fact]
    public void AGD_steps_in_full_until_the_cooldown_and_cooled_after_it()
    {
        // Arrange: 20 steps; with cooldown 0.5 update k takes min(1, (1 − (k − 1)/20)/0.5) of its
        // step, so updates 1–11 are full and loss k (measured before update k) is the same for k ≤ 12.
        var config = TinyRuns.Config(data.Directory, stn: false, maxSteps: 20);
        List<double> Losses(double cooldown) => StepLosses(config with { Optimizer = config.Optimizer with { Cooldown = cooldown } });

        // Act
        var uncooled = Losses(0);
        var cooled = Losses(0.5);

        // Assert
        Assert.Equal(uncooled.Take(12), cooled.Take(12));
        Assert.NotEqual(uncooled[12], cooled[12]);
    }

    [Theory]
    [InlineData("densenet-bc", null, 1.0, 2.0)]
    [InlineData("densenet-bc", false, 2.0, 1.0)]
    [InlineData("small-cnn", null, 1.0, 2.0)]
    public void With_no_gain_given_AGD_takes_the_models_usual_gain(string model, bool? spectral, double usual, double other)
    {
        // Arrange: the losses of a few steps tell the gains apart (they change from the second step).
        var config = TinyRuns.Config(data.Directory, model: model, stn: false, maxSteps: 4);
        config = config with { Optimizer = config.Optimizer with { Spectral = spectral } };
        List<double> Losses(double? gain) => StepLosses(config with { Optimizer = config.Optimizer with { Gain = gain } });

        // Act
        var unset = Losses(null);

        // Assert
        Assert.Equal(usual, config.Optimizer.EffectiveGain(model));
        Assert.Equal(Losses(usual), unset);
        Assert.NotEqual(Losses(other), unset);
    }

    [Theory]
    [InlineData("densenet-bc", true)]
    [InlineData("small-cnn", false)]
    public void With_nothing_given_AGD_steps_spectrally_on_DenseNet_BC_only(string model, bool usual)
    {
        // Arrange: gain fixed at 1 so only the direction differs; it changes the losses from the second step.
        var config = TinyRuns.Config(data.Directory, model: model, stn: false, maxSteps: 4);
        List<double> Losses(bool? spectral) => StepLosses(config with { Optimizer = config.Optimizer with { Gain = 1, Spectral = spectral } });

        // Act
        var unset = Losses(null);

        // Assert
        Assert.Equal(usual, OptimizerConfig.DefaultSpectral(model));
        Assert.Equal(Losses(usual), unset);
        Assert.NotEqual(Losses(!usual), unset);
    }

    [Theory]
    [InlineData("agd")]
    [InlineData("sgd")]
    public void The_configured_weight_decay_reaches_the_optimizer(string optimizer)
    {
        // Arrange: the losses of a few steps tell the decays apart (they change from the second step).
        var config = TinyRuns.Config(data.Directory, stn: false, optimizer: optimizer, maxSteps: 4);
        List<double> Losses(double weightDecay) => StepLosses(config with { Optimizer = config.Optimizer with { WeightDecay = weightDecay } });

        // Act
        var plain = Losses(0);
        var decayed = Losses(0.5);

        // Assert
        Assert.Equal(0, new OptimizerConfig().WeightDecay); // off unless asked for
        Assert.Equal(plain[0], decayed[0]);
        Assert.NotEqual(plain.Skip(1), decayed.Skip(1));
    }

    // The training loss of every weight step of one run of config, each measured before its update.
    private static List<double> StepLosses(TrainConfig config)
    {
        var losses = new List<double>();
        using var run = new TrainingRun(config, observer: new TrainingObserver { Step = (_, _, loss) => losses.Add(loss) });
        run.Run();
        return losses;
    }

    public void Dispose() => data.Dispose();
}
