using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Compression;

/// <summary>
/// A convolution or linear layer that targeted dropout and pruning act on: its elementary
/// weight, and in a self-tuning network the hyper weight beside it, which takes the same mask
/// so that the folded weight W_elem + diag(V λ̃)·W_hyper is zero wherever the mask is, at every λ.
/// </summary>
public sealed class PrunableLayer
{
    private readonly Module? hyper;

    private PrunableLayer(string name, Module layer, Module? hyper, bool isClassifier)
    {
        Name = name;
        Layer = layer;
        this.hyper = hyper;
        IsClassifier = isClassifier;
    }

    /// <summary>The parameter name prefix, e.g. <c>block2.layer1.conv2</c>.</summary>
    public string Name { get; }

    /// <summary>The (elementary) <see cref="Conv2d"/> or <see cref="Linear"/>; pruning plans are keyed by it.</summary>
    public Module Layer { get; }

    /// <summary>Whether this is the classifier, whose units are the classes and never removed.</summary>
    public bool IsClassifier { get; }

    /// <summary>The elementary weight (O, I, k, k) or (O, I).</summary>
    public Parameter Weight => Layer is Conv2d conv ? conv.Weight : ((Linear)Layer).Weight;

    /// <summary>O: output channels or features.</summary>
    public int Units => (int)Weight.Shape[0];

    /// <summary>
    /// Every prunable layer of <paramref name="model"/> in forward order: the small CNN's two
    /// convs and fully connected layers, DenseNet-BC's stem, both convs of every dense layer,
    /// the transitions' convs and the classifier.
    /// </summary>
    public static IReadOnlyList<PrunableLayer> Of(Classifier model) => model switch
    {
        SmallCnn cnn =>
        [
            new("conv1", cnn.Conv1, null, false),
            new("conv2", cnn.Conv2, null, false),
            .. cnn.Hidden is null ? Array.Empty<PrunableLayer>() : [new PrunableLayer("fc1", cnn.Hidden, cnn.HyperHidden, false)],
            new("fc", cnn.Fc, cnn.HyperFc, true),
        ],
        DenseNetBC dense => DenseNetLayers(dense),
        _ => throw new NotSupportedException($"a {model.GetType().Name} has no pruning layout; small-cnn and densenet-bc have."),
    };

    /// <summary>Puts <paramref name="mask"/> (broadcastable to the weight) on the elementary and hyper weights; null takes it off.</summary>
    public void SetMask(Tensor? mask)
    {
        SetMask(Layer, mask);
        if (hyper is not null) SetMask(hyper is HyperConv2d c ? c.Hyper : ((HyperLinear)hyper).Hyper, mask);
    }

    /// <summary>The elementary weight on the host, (O, fan-in) row-major: what targeted dropout ranks while training.</summary>
    public float[] HostWeight() => Weight.Value.ToArray<float>();

    /// <summary>
    /// The weight the exported graph holds at <paramref name="lambda"/> (the hyper response
    /// folded in; the elementary weight when <paramref name="lambda"/> is null or the layer has
    /// no hyper half), (O, fan-in) row-major: what pruning and targeted dropout rank.
    /// </summary>
    public float[] FoldedWeight(double[]? lambda) => (hyper, lambda) switch
    {
        (HyperConv2d c, { } l) => FoldedWeights.Of(c, l).Weight(),
        (HyperLinear h, { } l) => FoldedWeights.Of(h, l).Weight(),
        _ => HostWeight(),
    };

    private static IReadOnlyList<PrunableLayer> DenseNetLayers(DenseNetBC dense)
    {
        var layers = new List<PrunableLayer> { new("stem", dense.Stem, null, false) };
        for (var b = 0; b < 3; b++)
        {
            for (var l = 0; l < dense.Blocks[b].Layers.Count; l++)
            {
                var layer = dense.Blocks[b].Layers[l];
                var prefix = $"block{b + 1}.layer{l + 1}";
                layers.Add(new($"{prefix}.conv1", layer.Conv1, null, false));
                layers.Add(new($"{prefix}.conv2", layer.Conv2, layer.HyperConv2, false));
            }

            if (b < 2) layers.Add(new($"trans{b + 1}.conv", dense.Transitions[b].Conv, null, false));
        }

        layers.Add(new("fc", dense.Fc, dense.HyperFc, true));
        return layers;
    }

    private static void SetMask(Module layer, Tensor? mask)
    {
        if (layer is Conv2d conv) conv.WeightMask = mask;
        else ((Linear)layer).WeightMask = mask;
    }
}
