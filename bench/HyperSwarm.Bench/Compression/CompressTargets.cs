namespace HyperSwarm.Bench.Compression;

/// <summary>
/// The targets for one network, as figures: the accuracy cost of 4× fewer parameters by
/// structured pruning with targeted dropout (target ≤ 1 point), targeted dropout against plain
/// training at the same export (target ≥ 0 at every sparsity, on the pruned exports the issue
/// lists; each against the targeted arm trained for it, <see cref="CompressArm.TargetedFor"/>;
/// the fine-tuned exports, which the bench adds, in a figure of their own), and int8's cost and
/// size (≤ 0.5 point, ~4×).
/// </summary>
public static class CompressTargets
{
    /// <summary>Adds <c>{model}_…</c> figures for <paramref name="results"/> of one network to <paramref name="figures"/>.</summary>
    public static void Add(IDictionary<string, double> figures, string model, IReadOnlyList<CompressResult> results)
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(results);
        var key = CompressBenchmark.Key(model);
        CompressResult Find(string arm, Func<CompressVariant, bool> pick) => results.First(r => r.Arm == arm && pick(r.Variant));
        var tdDense = Find(CompressArm.Units, v => v is { Sparsity: 0, Int8: false });
        var plainDense = Find(CompressArm.Plain, v => v is { Sparsity: 0, Int8: false });
        figures[$"{key}_plain_dense_acc"] = plainDense.Accuracy;
        foreach (var arm in results.Select(r => r.Arm).Where(a => a != CompressArm.Plain).Distinct())
        {
            figures[$"{key}_{CompressBenchmark.Key(arm)}_dense_acc"] = Find(arm, v => v is { Sparsity: 0, Int8: false }).Accuracy;
        }

        // The least pruned structured export with about 4× fewer parameters (≥ 3.75×: the
        // classifier, the stem's input and per-channel constants shrink less than quadratically,
        // so sparsity 0.5 leaves DenseNet-BC-16 with 26 %), fine-tuned where measured.
        var quarter = results.Where(r => r.Arm == CompressArm.Units && r.Variant.Structured && r.Parameters * 3.75 <= tdDense.Parameters)
            .OrderBy(r => r.Variant.Sparsity).ThenByDescending(r => r.Variant.FineTuned).FirstOrDefault();
        if (quarter is not null)
        {
            figures[$"{key}_td_structured_4x_sparsity"] = quarter.Variant.Sparsity;
            figures[$"{key}_td_structured_4x_parameter_ratio"] = (double)tdDense.Parameters / quarter.Parameters;
            figures[$"{key}_td_structured_4x_drop_points"] = 100 * (tdDense.Accuracy - quarter.Accuracy);
        }

        var pairs = results.Where(r => r.Arm != CompressArm.Plain && r.Variant.Sparsity > 0 && CompressArm.TargetedFor(r.Variant) == r.Arm)
            .Select(td => (td.Variant.FineTuned, Points: 100 * (td.Accuracy - Find(CompressArm.Plain, v => v == td.Variant).Accuracy))).ToList();
        figures[$"{key}_td_minus_plain_worst_points"] = pairs.Where(p => !p.FineTuned).Min(p => p.Points);
        if (pairs.Any(p => p.FineTuned)) figures[$"{key}_td_minus_plain_worst_points_finetuned"] = pairs.Where(p => p.FineTuned).Min(p => p.Points);

        var int8 = Find(CompressArm.Units, v => v.Int8);
        figures[$"{key}_int8_drop_points"] = 100 * (tdDense.Accuracy - int8.Accuracy);
        figures[$"{key}_int8_size_ratio"] = (double)tdDense.Bytes / int8.Bytes;
    }
}
