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
        var keep = ((Conv2d)transition.Layer).WeightMask!.ToArray<float>();            // (O, I, 1, 1)
        var fanIn = keep.Length / transition.Units;
        var fc = model.Fc.WeightMask!.ToArray<float>();                                // (10, C): columns only

        Assert.DoesNotContain(td.Layers, l => l.IsClassifier);
        // A candidate's row is all 0; a kept row keeps the live input channels (some upstream units are gone).
        Assert.All(Enumerable.Range(0, transition.Units), u => Assert.Equal(candidates[u], keep.Skip(u * fanIn).Take(fanIn).Sum() == 0));
        var fcFanIn = fc.Length / 10;
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(fc.Take(fcFanIn), fc.Skip(c * fcFanIn).Take(fcFanIn)));
        Assert.Contains(0f, fc);
        td.Clear();
        Assert.Null(model.Fc.WeightMask);
    }

    [Theory]
    [InlineData("densenet-bc")]
    [InlineData("small-cnn")]
    public void A_unit_pruned_in_training_is_gone_downstream_as_in_the_structured_export(string kind)
    {
        var live = Torch.Torch.LiveTensors;
        Torch.Torch.ManualSeed(6);
        using (Classifier model = kind == "small-cnn" ? new SmallCnn(hidden: 32) : new DenseNetBC(new DenseNetOptions { Depth = 10, GrowthRate = 4, InChannels = 1, Classes = 10 }))
        using (var td = new TargetedDropout(model, 0.75, TargetingMode.Unit))
        {
            model.Eval();
            // Biases away from 0, so a unit whose weights alone are dropped would still send its
            // activation's constant downstream.
            using (NoGrad.Enter())
            {
                foreach (var (name, p) in model.NamedParameters())
                {
                    if (name.Contains("bias", StringComparison.Ordinal)) p.Value.FillInPlace(0.5);
                }
            }

            float[] trained, exported;
            using (var scope = TensorScope.Begin())
            {
                var x = Torch.Torch.Randn([4, 1, 28, 28]);
                td.Prune();
                trained = model.Forward(x).ToArray<float>();
                td.Clear();
                var plan = PruningPlan.For(model, null, 0.75, structured: true);
                var masks = plan.ApplyMasks();
                exported = model.Forward(x).ToArray<float>();
                plan.ClearMasks();
                foreach (var mask in masks) mask.Dispose();
            }

            Assert.Equal(exported.Length, trained.Length);
            Assert.All(Enumerable.Range(0, exported.Length), i => Assert.Equal(exported[i], trained[i], 5));
        }

        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public void A_hyper_layer_is_ranked_by_the_weight_export_folds_at_the_current_lambda()
    {
        var live = Torch.Torch.LiveTensors;
        Torch.Torch.ManualSeed(7);
        using (var model = new SmallCnn(hidden: 32, hyper: new HyperSwarm.GpuActors.Stn.HyperInput(2)))
        using (var td = new TargetedDropout(model, 0.75, TargetingMode.Unit))
        {
            // A hyper response as large as the elementary weight: the two rankings differ.
            using (NoGrad.Enter())
            {
                foreach (var (name, p) in model.NamedParameters())
                {
                    if (name.StartsWith("fc1.hyper", StringComparison.Ordinal) || name == "fc1.gate") p.Value.NormalInPlace(0, 1);
                }
            }

            double[] lambda = [0.8, -1.3];
            var fc1 = td.Layers.Single(l => l.Name == "fc1");
            var plan = PruningPlan.For(model, lambda, 0.75, structured: true);
            bool[] Dropped()
            {
                using var scope = TensorScope.Begin();
                var mask = model.Hidden!.WeightMask!.ToArray<float>();                  // (32, fan-in)
                var fanIn = mask.Length / fc1.Units;
                return [.. Enumerable.Range(0, fc1.Units).Select(u => mask.Skip(u * fanIn).Take(fanIn).All(m => m == 0))];
            }

            td.Prune();
            var byElementary = Dropped();
            td.Prune(lambda);
            var byFolded = Dropped();
            td.Clear();

            var exported = Enumerable.Range(0, fc1.Units).Select(u => !plan.KeptUnits(model.Hidden!)!.Contains(u));
            Assert.Equal(exported, byFolded);
            Assert.NotEqual(exported, byElementary);
        }

        Assert.Equal(live, Torch.Torch.LiveTensors);
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
