using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Compression;

// Targeted dropout acts on the weights the forward pass uses: candidates (and only they) are
// dropped, at rate α, with no gradient through a dropped weight, and its masks are freed.
public sealed class TargetedDropoutTests
{
    [Fact]
    public void Pruning_drops_exactly_the_candidates_and_they_get_no_gradient()
    {
        var live = Torch.Torch.LiveTensors;
        Torch.Torch.ManualSeed(1);
        using (var model = new SmallCnn(hidden: 32))
        using (var td = new TargetedDropout(model, 0.5, TargetingMode.Weight))
        {
            var layer = td.Layers.Single(l => l.Name == "fc1");
            var candidates = TargetSelection.WeightCandidates(layer.HostWeight(), layer.Units, 0.5);
            td.Prune();
            Backward(model);
            float[] grad, effective;
            using (var scope = TensorScope.Begin())
            {
                grad = layer.Weight.Value.Grad!.ToArray<float>();
                effective = model.Hidden!.EffectiveWeight.ToArray<float>();
            }

            td.Clear();

            Assert.All(Enumerable.Range(0, grad.Length).Where(i => candidates[i]), i => Assert.Equal(0f, grad[i]));
            Assert.All(Enumerable.Range(0, grad.Length).Where(i => candidates[i]), i => Assert.Equal(0f, effective[i]));
            Assert.True(Enumerable.Range(0, grad.Length).Where(i => !candidates[i]).Count(i => grad[i] != 0) > grad.Length / 4, "kept weights got no gradient");
            Assert.Null(model.Hidden.WeightMask);
        }

        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public void Each_candidate_is_dropped_with_probability_alpha_and_nothing_else_is()
    {
        Torch.Torch.ManualSeed(2);
        using var model = new SmallCnn(hidden: 128);
        using var td = new TargetedDropout(model, 0.75, TargetingMode.Weight);
        var layer = td.Layers.Single(l => l.Name == "fc1");                       // 128 × 1568: ~150k candidates
        var candidates = TargetSelection.WeightCandidates(layer.HostWeight(), layer.Units, 0.75);

        td.Drop(0.3);
        var keep = model.Hidden!.WeightMask!.ToArray<float>();

        var droppedCandidates = Enumerable.Range(0, keep.Length).Count(i => candidates[i] && keep[i] == 0);
        Assert.InRange(droppedCandidates / (double)candidates.Count(c => c), 0.29, 0.31);
        Assert.All(Enumerable.Range(0, keep.Length).Where(i => !candidates[i]), i => Assert.Equal(1f, keep[i]));
    }

    [Fact]
    public void Unit_targeting_drops_whole_low_norm_units_and_leaves_the_classifier_alone()
    {
        Torch.Torch.ManualSeed(3);
        using var model = new DenseNetBC(new DenseNetOptions { Depth = 10, GrowthRate = 4, InChannels = 1, Classes = 10 });
        using var td = new TargetedDropout(model, 0.5, TargetingMode.Unit);
        var transition = td.Layers.Single(l => l.Name == "trans1.conv");
        var candidates = TargetSelection.UnitCandidates(transition.HostWeight(), transition.Units, 0.5);

        td.Prune();
        var keep = ((Conv2d)transition.Layer).WeightMask!.ToArray<float>();            // (O, 1, 1, 1)

        Assert.DoesNotContain(td.Layers, l => l.IsClassifier);
        Assert.Null(model.Fc.WeightMask);
        Assert.Equal(transition.Units, keep.Length);
        Assert.Equal(candidates.Select(c => c ? 0f : 1f), keep);
    }

    [Fact]
    public void At_alpha_zero_the_network_is_unchanged()
    {
        Torch.Torch.ManualSeed(4);
        using var model = new SmallCnn(hidden: 16);
        model.Eval();
        using var td = new TargetedDropout(model, 0.9, TargetingMode.Weight);
        using var scope = TensorScope.Begin();
        var x = Torch.Torch.Randn([4, 1, 28, 28]);
        var plain = model.Forward(x).ToArray<float>();

        td.Drop(0);
        var masked = model.Forward(x).ToArray<float>();

        Assert.Equal(plain, masked);
    }

    [Fact]
    public void Gamma_ramps_over_the_first_half_of_a_run_while_pruning_always_removes_the_full_share()
    {
        Torch.Torch.ManualSeed(5);
        using var model = new SmallCnn(hidden: 64);
        using var td = new TargetedDropout(model, 0.8, TargetingMode.Weight);
        var layer = td.Layers.Single(l => l.Name == "fc1");
        int Dropped()
        {
            using var scope = TensorScope.Begin();
            return model.Hidden!.WeightMask!.ToArray<float>().Count(k => k == 0);
        }

        var full = TargetSelection.WeightCandidates(layer.HostWeight(), layer.Units, 0.8).Count(c => c);
        var quarter = TargetSelection.WeightCandidates(layer.HostWeight(), layer.Units, 0.4).Count(c => c);

        td.Ramp(0);
        td.Drop(1);                                                               // α = 1: every current candidate
        Assert.Equal(0, Dropped());
        td.Ramp(0.25);                                                            // halfway up the ramp: γ/2
        td.Drop(1);
        Assert.Equal(quarter, Dropped());
        Assert.Equal(0.4, td.CurrentGamma, 12);
        td.Prune();                                                               // export's network: the full γ at any point
        Assert.Equal(full, Dropped());
        td.Ramp(0.9);
        td.Drop(1);
        Assert.Equal(full, Dropped());
    }

    private static void Backward(SmallCnn model)
    {
        using var scope = TensorScope.Begin();
        var x = Torch.Torch.Randn([8, 1, 28, 28]);
        var y = Tensor.FromArray<long>([0, 1, 2, 3, 4, 5, 6, 7], [8]);
        Functional.CrossEntropy(model.Forward(x), y).Backward();
    }
}
