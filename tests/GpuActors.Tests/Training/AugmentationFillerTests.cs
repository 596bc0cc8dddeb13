using HyperSwarm.GpuActors.Stn;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Training;

// The filler is where a step's hyperparameters become the loader's per-example augmentation:
// a tuned value must reach example b from column b of the sample, a fixed one every example.
public sealed class AugmentationFillerTests
{
    private const int Batch = 4;

    [Fact]
    public void Fixed_values_are_broadcast_to_every_example()
    {
        var plan = Plan(enabled: false, tune: null, new()
        {
            ["augment.cutout_length"] = 5, ["augment.cutout_holes"] = 2, ["augment.shift"] = 3,
            ["augment.flip"] = 0.25, ["augment.brightness"] = 0.1, ["augment.contrast"] = 0.2,
        });

        var values = new AugmentationFiller(plan, Batch).Fill(null);

        Assert.NotNull(values);
        Assert.Equal([5, 5, 5, 5], values.CutoutLength);
        Assert.Equal([2, 2, 2, 2], values.CutoutHoles);
        Assert.Equal([3, 3, 3, 3], values.ShiftPixels);
        Assert.Equal([0.25f, 0.25f, 0.25f, 0.25f], values.FlipProbability);
        Assert.Equal([0.1f, 0.1f, 0.1f, 0.1f], values.Brightness);
        Assert.Equal([0.2f, 0.2f, 0.2f, 0.2f], values.Contrast);
    }

    [Fact]
    public void Nothing_to_augment_gives_null_so_the_loader_skips_the_pipeline()
    {
        // Only a dropout is tuned and every augmentation is fixed at zero.
        var plan = Plan(enabled: true, tune: ["dropout.input"], Zeros());
        using var space = new HyperparameterSpace(plan.Tuned);
        using var sample = Sample(space, [[0.1f], [0.2f], [0.3f], [0.4f]]);

        var filler = new AugmentationFiller(plan, Batch);

        Assert.Null(filler.Fill(null));
        Assert.Null(filler.Fill(sample));
    }

    [Fact]
    public void Tuned_values_come_per_example_from_the_sample_and_fixed_ones_stay_put()
    {
        var initial = Zeros();
        initial["augment.contrast"] = 0.3;
        var plan = Plan(enabled: true, tune: ["augment.shift", "augment.flip"], initial);
        using var space = new HyperparameterSpace(plan.Tuned);
        Assert.Equal(["augment.shift", "augment.flip"], space.Specs.Select(s => s.Name));
        using var sample = Sample(space, [[0f, 0.9f], [1f, 0.5f], [2f, 0.1f], [4f, 0f]]);

        var values = new AugmentationFiller(plan, Batch).Fill(sample);

        Assert.NotNull(values);
        Assert.Equal([0, 1, 2, 4], values.ShiftPixels);
        Assert.Equal([0.9f, 0.5f, 0.1f, 0f], values.FlipProbability);
        Assert.Equal([0.3f, 0.3f, 0.3f, 0.3f], values.Contrast);
        Assert.Equal([0, 0, 0, 0], values.CutoutLength);
    }

    [Fact]
    public void The_same_values_object_is_refilled_for_every_batch()
    {
        var plan = Plan(enabled: true, tune: ["augment.cutout_holes"], Zeros());
        using var space = new HyperparameterSpace(plan.Tuned);
        using var first = Sample(space, [[1f], [1f], [1f], [1f]]);
        using var second = Sample(space, [[3f], [2f], [0f], [1f]]);
        var filler = new AugmentationFiller(plan, Batch);

        var a = filler.Fill(first);
        var b = filler.Fill(second);

        Assert.Same(a, b);
        Assert.Equal([3, 2, 0, 1], b!.CutoutHoles);
    }

    private static Dictionary<string, double> Zeros() => new()
    {
        ["augment.cutout_length"] = 0, ["augment.cutout_holes"] = 0, ["augment.shift"] = 0,
        ["augment.flip"] = 0, ["augment.brightness"] = 0, ["augment.contrast"] = 0,
    };

    private static HyperparameterPlan Plan(bool enabled, IReadOnlyList<string>? tune, Dictionary<string, double> initial)
    {
        // A tuned hyperparameter must start strictly inside its range; the test's values come from the sample anyway.
        var starts = initial.Where(kv => tune?.Contains(kv.Key) != true).ToDictionary();
        return HyperparameterPlan.Resolve(new StnConfig { Enabled = enabled, Tune = tune, Initial = starts }, "small-cnn");
    }

    // A sample whose legal values (B, n) are `rows`; the gate input is irrelevant to the filler.
    private static HyperSample Sample(HyperparameterSpace space, float[][] rows)
    {
        using var scope = TensorScope.Begin();
        var flat = rows.SelectMany(r => r).ToArray();
        var shape = new long[] { rows.Length, space.Count };
        return new HyperSample(space, Tensor.FromArray<float>(flat, shape), Tensor.FromArray<float>(flat, shape));
    }
}
