using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// <see cref="DenseNetBC"/> in evaluation mode as ONNX. What can be folded is: Fixup scalars
/// into the convolution or classifier next to them, a batch norm that follows a conv into that
/// conv, the norm-preserving pools' gains into the conv or classifier before or after the pool,
/// hyper convs and the hyper classifier at λ̃. What remains are Adds for the scalar biases no
/// layer can absorb (on a concatenation, or before a zero-padded 3×3 conv, where the padding
/// must stay 0), per-channel multiply-adds for the norms on a concatenation, and MPELU in
/// plain ops. The per-block dropout hooks only act while training. A structured
/// <see cref="PruningPlan"/> narrows every conv to its kept units and every reader of a
/// concatenation to the channels still in it; the per-channel norms and MPELUs follow.
/// </summary>
internal static class DenseNetGraph
{
    /// <summary>Images (B, C, H, W) → logits (B, classes), for images of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public static string Write(OnnxGraph g, string images, DenseNetBC model, double[]? lambda, long height, long width, PruningPlan plan)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(model);
        var stem = FoldedWeights.Of(model.Stem).PruneInputs(plan, model.Stem).PruneOutputs(plan, model.Stem);
        var x = g.Conv(images, "stem", stem, model.Stem.Stride, model.Stem.Padding);            // (B, 2k, H, W)
        for (var b = 0; b < 3; b++)
        {
            x = Block(g, x, $"block{b + 1}", model.Blocks[b], lambda, plan);                  // (B, C + L·k, H, W)
            if (b < 2)
            {
                x = Transition(g, x, $"trans{b + 1}", model.Transitions[b], plan);            // (B, θC, H/2, W/2)
                height /= 2;
                width /= 2;
            }
        }

        var channels = plan.LiveInputs(model.Fc)?.Channels;
        x = model.FinalNorm is { } norm ? g.BatchNorm(x, "final_norm", norm, channels) : g.AddScalar(x, "final_bias_act.bias", Scalar(model.FinalFixupBiases!.Value.Act));
        x = MpeluGraph.Apply(g, x, "final_act", model.FinalAct, channels: channels);
        x = g.Flatten(g.Add("GlobalAveragePool", [x]));                                  // (B, C)
        var fc = (model.HyperFc is { } hyper ? FoldedWeights.Of(hyper, lambda!) : FoldedWeights.Of(model.Fc)).PruneInputs(plan, model.Fc);
        if (model.FinalFixupBiases is { } biases) fc.ShiftInputs(Scalar(biases.Fc));
        if (model.Options.NormPreservingPools) fc.ScaleInputs(Math.Sqrt(height * width));
        return g.Gemm(x, "fc", fc.PruneOutputs(plan, model.Fc));                           // (B, classes)
    }

    private static string Block(OnnxGraph g, string x, string name, DenseBlock block, double[]? lambda, PruningPlan plan)
    {
        var features = x;
        for (var l = 0; l < block.Layers.Count; l++)
        {
            var fresh = Layer(g, features, $"{name}.layer{l + 1}", block.Layers[l], lambda, plan); // (B, k, H, W)
            features = g.Concat(features, fresh);                                          // (B, C + k, H, W)
        }

        return features;
    }

    private static string Layer(OnnxGraph g, string x, string name, DenseLayer layer, double[]? lambda, PruningPlan plan)
    {
        var fixup = layer.FixupBiases;
        var live = plan.LiveInputs(layer.Conv1)?.Channels;
        var h = layer.Norm1 is { } norm1 ? g.BatchNorm(x, $"{name}.norm1", norm1, live) : g.AddScalar(x, $"{name}.bias1a.bias", Scalar(fixup!.Value.Act1));
        h = MpeluGraph.Apply(g, h, $"{name}.act1", layer.Act1, channels: live);

        // 1×1 conv, no padding: the bias before it and the norm or bias after it fold in.
        var conv1 = FoldedWeights.Of(layer.Conv1).PruneInputs(plan, layer.Conv1);
        if (fixup is { } before) conv1.ShiftInputs(Scalar(before.Conv1)).ShiftOutputs(Scalar(before.Act2));
        else conv1.NormalizeOutputs(layer.Norm2!);
        h = g.Conv(h, $"{name}.conv1", conv1.PruneOutputs(plan, layer.Conv1), layer.Conv1.Stride, layer.Conv1.Padding); // (B, 4k, H, W)
        h = MpeluGraph.Apply(g, h, $"{name}.act2", layer.Act2, channels: plan.KeptUnits(layer.Conv1));

        // 3×3 conv with zero padding: the bias before it stays an Add; Fixup's scale folds in.
        if (fixup is { } beforeConv2) h = g.AddScalar(h, $"{name}.bias2b.bias", Scalar(beforeConv2.Conv2));
        var conv2 = (layer.HyperConv2 is { } hyper ? FoldedWeights.Of(hyper, lambda!) : FoldedWeights.Of(layer.Conv2)).PruneInputs(plan, layer.Conv2);
        if (layer.Scale is { } scale) conv2.ScaleOutputs(Scalar(scale.Value.Value));
        return g.Conv(h, $"{name}.conv2", conv2.PruneOutputs(plan, layer.Conv2), layer.Conv2.Stride, layer.Conv2.Padding); // (B, k, H, W)
    }

    private static string Transition(OnnxGraph g, string x, string name, Transition transition, PruningPlan plan)
    {
        var fixup = transition.FixupBiases;
        var live = plan.LiveInputs(transition.Conv)?.Channels;
        var h = transition.Norm is { } norm ? g.BatchNorm(x, $"{name}.norm", norm, live) : g.AddScalar(x, $"{name}.bias1a.bias", Scalar(fixup!.Value.Act));
        h = MpeluGraph.Apply(g, h, $"{name}.act", transition.Act, channels: live);
        var conv = FoldedWeights.Of(transition.Conv).PruneInputs(plan, transition.Conv);
        if (fixup is { } biases) conv.ShiftInputs(Scalar(biases.Conv));

        // pool(conv(x))·2 = pool(2·conv(x)): the norm-preserving gain moves into the conv.
        if (transition.NormPreserving) conv.ScaleOutputs(2.0);
        h = g.Conv(h, $"{name}.conv", conv.PruneOutputs(plan, transition.Conv), transition.Conv.Stride, transition.Conv.Padding);
        return g.AveragePool(h, 2);
    }

    private static double Scalar(ScalarBias bias) => Scalar(bias.Value.Value);

    private static double Scalar(Torch.Tensor value) => value.ToArray<float>()[0];
}
