using HyperSwarm.GpuActors.Stn;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Stn;

public sealed class TemperatureFitTests
{
    [Fact]
    public void The_best_temperature_has_a_lower_loss_than_any_nearby_one_and_undoes_a_scaling_of_the_logits()
    {
        var random = new Random(7);
        const int rows = 128, classes = 10;
        var labels = new long[rows];
        var logits = new float[rows * classes];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = random.Next(classes);
            for (var c = 0; c < classes; c++) logits[r * classes + c] = (float)(random.NextDouble() * 2 - 1 + (c == labels[r] ? 1.5 : 0));
        }

        var best = TemperatureFit.Best(logits, labels);
        var loss = TemperatureFit.Loss(logits, labels, classes, best);
        Assert.True(loss < TemperatureFit.Loss(logits, labels, classes, best * 1.05));
        Assert.True(loss < TemperatureFit.Loss(logits, labels, classes, best / 1.05));
        Assert.True(loss < TemperatureFit.Loss(logits, labels, classes, 1.0) || Math.Abs(best - 1) < 1e-6);

        // An over-confident copy (logits × 4) has the same ranking and, at its own best
        // temperature, the same loss: what the calibrated objective means to ignore.
        var sharp = Array.ConvertAll(logits, v => v * 4);
        var sharpBest = TemperatureFit.Best(sharp, labels);
        Assert.Equal(best * 4, sharpBest, 1e-5 * best * 4);
        Assert.Equal(loss, TemperatureFit.Loss(sharp, labels, classes, sharpBest), 1e-9);
    }

    [Fact]
    public void An_unknown_objective_is_one_sentence()
    {
        var e = Assert.Throws<ArgumentException>(() => new StnConfig { Objective = "accuracy" }.Validate());
        Assert.Equal("stn.objective must be loss or calibrated, got 'accuracy'.", e.Message);
        new StnConfig { Objective = "calibrated" }.Validate();
    }
}
