using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// Connects the model-side hyperparameters to a classifier by name: <c>dropout.input</c> on the
/// images, <c>dropout.block{1..3}</c> on each DenseNet block's new features,
/// <c>dropout.stage{0..2}</c> on the SmallCnn stages. A rate the space tunes comes per example
/// from the step's sample; a rate it does not tune may be fixed instead. Active only in
/// training mode and only between <see cref="Set"/> and <see cref="Clear"/>; evaluation and
/// hyper steps see the plain network (§1.5).
/// </summary>
public sealed class StnRegularizers
{
    private readonly Classifier model;
    private readonly Site input;
    private bool active;
    private Tensor? values;

    /// <summary>
    /// Installs the hooks on <paramref name="model"/>: rates <paramref name="space"/> tunes come
    /// from each step's sample, the others from <paramref name="fixedRates"/> (absent: none).
    /// </summary>
    public StnRegularizers(HyperparameterSpace? space, Classifier model, IReadOnlyDictionary<string, double>? fixedRates = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        Site At(string name) => new(space?.FindIndex(name) ?? -1, fixedRates?.GetValueOrDefault(name) ?? 0);
        input = At("dropout.input");
        switch (model)
        {
            case DenseNetBC dense:
                var blocks = Enumerable.Range(1, 3).Select(b => At($"dropout.block{b}")).ToArray();
                dense.NewFeatureHook = (block, h) => Dropout(h, blocks[block]);
                break;
            case SmallCnn cnn:
                var stages = Enumerable.Range(0, 3).Select(s => At($"dropout.stage{s}")).ToArray();
                cnn.FeatureHook = (stage, h) => Dropout(h, stages[stage]);
                break;
        }
    }

    /// <summary>Regularises until <see cref="Clear"/>, tuned rates from <paramref name="sample"/> (null: fixed rates only).</summary>
    public void Set(HyperSample? sample)
    {
        active = true;
        values = sample?.Values;
    }

    /// <summary>Stops regularising (evaluation, hyper steps).</summary>
    public void Clear()
    {
        active = false;
        values = null;
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

    // Where one dropout's rate comes from: a column of the sample, or a fixed rate.
    private readonly record struct Site(int Column, double FixedRate);
}
