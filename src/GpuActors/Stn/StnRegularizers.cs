using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// Connects the model-side hyperparameters to a classifier by name: <c>dropout.input</c> on the
/// images, <c>dropout.block{1..3}</c> on each DenseNet block's new features,
/// <c>dropout.stage{0..2}</c> on the SmallCnn stages. Active only in training mode and only
/// while a sample is set; evaluation and hyper steps see the plain network (§1.5).
/// </summary>
public sealed class StnRegularizers
{
    private readonly Classifier model;
    private readonly int inputColumn;
    private Tensor? values;

    /// <summary>Installs the hooks on <paramref name="model"/>.</summary>
    public StnRegularizers(HyperparameterSpace space, Classifier model)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        inputColumn = space.FindIndex("dropout.input");
        switch (model)
        {
            case DenseNetBC dense:
                var blockColumns = Enumerable.Range(1, 3).Select(b => space.FindIndex($"dropout.block{b}")).ToArray();
                dense.NewFeatureHook = (block, h) => Dropout(h, blockColumns[block]);
                break;
            case SmallCnn cnn:
                var stageColumns = Enumerable.Range(0, 3).Select(s => space.FindIndex($"dropout.stage{s}")).ToArray();
                cnn.FeatureHook = (stage, h) => Dropout(h, stageColumns[stage]);
                break;
        }
    }

    /// <summary>Uses <paramref name="sample"/>'s per-example values until <see cref="Clear"/>.</summary>
    public void Set(HyperSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        values = sample.Values;
    }

    /// <summary>Stops regularising (evaluation, hyper steps).</summary>
    public void Clear() => values = null;

    /// <summary>Applies input dropout to a training batch (B, C, H, W).</summary>
    public Tensor Input(Tensor images) => Dropout(images, inputColumn);

    private Tensor Dropout(Tensor x, int column)
    {
        if (column < 0 || values is null || !model.Training)
        {
            return x;
        }

        using var scope = TensorScope.Begin();
        var rates = values.Narrow(1, column, 1).Squeeze(1);                    // (B)
        return scope.Keep(StnDropout.Apply(x, rates));
    }
}
