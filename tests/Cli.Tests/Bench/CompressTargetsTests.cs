using HyperSwarm.Bench.Compression;

namespace HyperSwarm.Cli.Tests.Bench;

// The figures bench compress reports against the targets, from known results.
public sealed class CompressTargetsTests
{
    private const string Units05 = "td-units-0.5";
    private const string Units09 = "td-units-0.9";
    private const string Weights05 = "td-weights-0.5";

    [Fact]
    public void Each_export_is_compared_on_the_least_targeted_arm_trained_to_survive_it()
    {
        Assert.Equal(Units05, CompressArm.TargetedFor(new(0, false, false, false)));
        Assert.Equal(Units05, CompressArm.TargetedFor(new(0, false, true, false)));
        Assert.Equal(Units05, CompressArm.TargetedFor(new(0.5, true, false, false)));
        Assert.Equal(Units09, CompressArm.TargetedFor(new(0.75, true, false, true)));
        Assert.Equal(Units09, CompressArm.TargetedFor(new(0.9, true, false, false)));
        Assert.Equal(Weights05, CompressArm.TargetedFor(new(0.5, false, false, false)));
        Assert.Equal(Weights05, CompressArm.TargetedFor(new(0.9, false, false, false))); // none trained for 0.9: the most targeted
        Assert.Equal([null, Units05, Units09, Weights05], CompressArm.For("small-cnn").Select(a => a.Targeting is null ? null : a.Name));
        Assert.Contains("compression.sparsity=0.9", CompressArm.For("small-cnn")[2].Arguments(10, 1, "runs", null));
        Assert.Equal("targeted dropout (units, γ 0.9)", CompressArm.Describe(Units09));
    }

    [Fact]
    public void Four_times_fewer_parameters_takes_the_least_pruned_structured_export_fine_tuned_where_measured()
    {
        var figures = new Dictionary<string, double>();

        CompressTargets.Add(figures, "small-cnn", Results());

        Assert.Equal(0.75, figures["small_cnn_td_structured_4x_sparsity"]);            // 0.5 keeps 30 % of the parameters: not 4×
        Assert.Equal(100 * (0.90 - 0.895), figures["small_cnn_td_structured_4x_drop_points"], 6); // the fine-tuned 0.75, not the raw one
        Assert.Equal(0.88, figures["small_cnn_td_weights_0_5_dense_acc"]);
        Assert.Equal(0.70, figures["small_cnn_td_units_0_9_dense_acc"]);
        Assert.Equal(100 * (0.90 - 0.897), figures["small_cnn_int8_drop_points"], 6);
        Assert.Equal(4.0, figures["small_cnn_int8_size_ratio"]);
    }

    [Fact]
    public void Targeted_against_plain_counts_each_export_once_on_its_own_arm_and_fine_tuned_exports_apart()
    {
        var figures = new Dictionary<string, double>();

        CompressTargets.Add(figures, "small-cnn", Results());

        // Per-weight 0.9, against the weight-targeted model, is the worst pruned export (the γ 0.5
        // unit model's 0.60 there is not what it was trained for, and does not count).
        Assert.Equal(100 * (0.70 - 0.80), figures["small_cnn_td_minus_plain_worst_points"], 6);
        // Structured 0.75 +ft is the γ 0.9 arm's (0.86) against plain's (0.885), not the γ 0.5 arm's 0.895.
        Assert.Equal(100 * (0.86 - 0.885), figures["small_cnn_td_minus_plain_worst_points_finetuned"], 6);
    }

    [Fact]
    public void The_curves_run_from_each_arms_dense_model_down_the_pruning_it_is_compared_on()
    {
        var series = CompressTable.Series(Results());

        var structured = series.Single(s => s.Name == $"small-cnn {Units09} structured");
        Assert.Equal([Math.Log10(1000), Math.Log10(200)], structured.Xs);
        Assert.Equal([70.0, 83.0], structured.Ys.Select(y => Math.Round(y, 6)));
        Assert.Equal([Math.Log10(1000), Math.Log10(300)], series.Single(s => s.Name == $"small-cnn {Units05} structured").Xs);
        Assert.DoesNotContain(series, s => s.Name == $"small-cnn {Units05} per weight");
        Assert.Contains(series, s => s.Name == $"small-cnn {Weights05} per weight");
        Assert.Equal(7, series.Count); // plain × 3 kinds; units 0.5 × structured; units 0.9 × structured, +ft; weights × per weight
    }

    private static List<CompressResult> Results()
    {
        CompressResult R(string arm, CompressVariant v, double accuracy, long parameters, long bytes) => new("small-cnn", arm, v, accuracy, parameters, bytes, 100, 0);
        var results = new List<CompressResult>();
        foreach (var (arm, shift) in new[] { (Units05, 0.0), (Units09, 0.0), (Weights05, 0.0), ("plain", 0.01) })
        {
            results.Add(R(arm, new(0, false, false, false), arm switch { Weights05 => 0.88, Units09 => 0.70, _ => 0.90 }, 1000, 4000));
            results.Add(R(arm, new(0.9, false, false, false), arm switch { Weights05 => 0.70, Units05 => 0.60, _ => 0.80 }, 100, 4000));
            results.Add(R(arm, new(0.5, true, false, false), 0.85 - shift, 300, 1200));
            results.Add(R(arm, new(0.75, true, false, false), arm == Units09 ? 0.83 : 0.80 - shift, 200, 800));
            results.Add(R(arm, new(0.75, true, false, true), arm == Units09 ? 0.86 : 0.895 - shift, 200, 800));
            results.Add(R(arm, new(0, false, true, false), 0.897, 1000, 1000));
        }

        return results;
    }
}
