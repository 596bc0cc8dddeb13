using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// Connects the model-side hyperparameters to a classifier by name: <c>dropout.input</c> on the
/// images, <c>dropout.block{1..3}</c> on each DenseNet block's new features,
/// <c>dropout.stage{0..2}</c> on the SmallCnn stages. A rate the space tunes comes per example
/// from the step's sample; a rate it does not tune may be fixed instead. Active only in
/// training mode and only between <see cref="Set"/> and <see cref="Clear"/>; evaluation and
/// hyper steps see the plain network (§1.5). With targeted dropout, <c>dropout.targeted</c> is
/// its rate α: one draw per batch (a weight mask cannot differ per example, like DropConnect in
/// §1.3), the batch's mean of the perturbed values, so the gates' per-example inputs average
/// to what acted; and <see cref="Prune"/> shows hyper steps the network as it will be exported.
/// </summary>
public sealed class StnRegularizers
{
    private readonly Classifier model;
    private readonly Site input;
    private readonly HyperparameterSpace? space;
    private readonly TargetedDropout? targeted;
    private readonly Site targetedRate;
    private bool active;
    private Tensor? values;

    /// <summary>
    /// Installs the hooks on <paramref name="model"/>: rates <paramref name="space"/> tunes come
    /// from each step's sample, the others from <paramref name="fixedRates"/> (absent: none);
    /// <paramref name="targeted"/> (optional) is targeted dropout on the model's weights.
    /// </summary>
    public StnRegularizers(HyperparameterSpace? space, Classifier model, IReadOnlyDictionary<string, double>? fixedRates = null, TargetedDropout? targeted = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        this.space = space;
        this.targeted = targeted;
        Site At(string name) => new(space?.FindIndex(name) ?? -1, fixedRates?.GetValueOrDefault(name) ?? 0);
        input = At(HyperparameterNames.InputDropout);
        targetedRate = At(HyperparameterNames.TargetedDropout);
        switch (model)
        {
            case DenseNetBC dense:
                var blocks = Enumerable.Range(1, 3).Select(b => At(HyperparameterNames.BlockDropout(b))).ToArray();
                dense.NewFeatureHook = (block, h) => Dropout(h, blocks[block]);
                break;
            case SmallCnn cnn:
                var stages = Enumerable.Range(0, 3).Select(s => At(HyperparameterNames.StageDropout(s))).ToArray();
                cnn.FeatureHook = (stage, h) => Dropout(h, stages[stage]);
                break;
        }
    }

    /// <summary>Regularises until <see cref="Clear"/>, tuned rates from <paramref name="sample"/> (null: fixed rates only).</summary>
    public void Set(HyperSample? sample)
    {
        active = true;
        values = sample?.Values;
        targeted?.Drop(TargetedRate(sample), Lambda());
    }

    /// <summary>Drops every targeted candidate until <see cref="Clear"/>: a hyper step then scores the pruned network.</summary>
    public void Prune() => targeted?.Prune(Lambda());

    /// <summary>Stops regularising (evaluation, hyper steps).</summary>
    public void Clear()
    {
        active = false;
        values = null;
        targeted?.Clear();
    }

    /// <summary>Applies input dropout to a training batch (B, C, H, W).</summary>
    public Tensor Input(Tensor images) => Dropout(images, input);

    private Tensor Dropout(Tensor x, Site site)
    {
        if (!active || !model.Training)
        {
            return x;
        }

        if (site.Column >= 0 && values is not null)
        {
            using var scope = TensorScope.Begin();
            var rates = values.Narrow(1, site.Column, 1).Squeeze(1);            // (B)
            return scope.Keep(StnDropout.Apply(x, rates));
        }

        return site.Column < 0 && site.FixedRate > 0 ? Functional.Dropout(x, site.FixedRate) : x;
    }

    // λ̃ now, on the host, for ranking hyper layers by the weight export will fold at the end:
    // ranked by the elementary weight alone, a small CNN's fc1 trained at γ 0.9 kept 13 units
    // of which export (ranking the folded weight) kept one.
    private double[]? Lambda() => targeted is null || space is null ? null : FoldedWeights.Host(space.Unconstrained);

    // α for this batch: the mean of the sample's perturbed values when tuned, else the fixed rate.
    private double TargetedRate(HyperSample? sample)
    {
        if (targetedRate.Column < 0 || sample is null || space is null) return targetedRate.FixedRate;
        var sum = 0.0;
        for (var b = 0; b < sample.Batch; b++) sum += sample.HostValues[b * space.Count + targetedRate.Column];
        return sum / sample.Batch;
    }

    // Where one dropout's rate comes from: a column of the sample, or a fixed rate.
    private readonly record struct Site(int Column, double FixedRate);
}
