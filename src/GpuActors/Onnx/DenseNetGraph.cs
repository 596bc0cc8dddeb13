using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// <see cref="DenseNetBC"/> in evaluation mode as ONNX. What can be folded is: Fixup scalars
/// into the convolution or classifier next to them, a batch norm that follows a conv into that
/// conv, the norm-preserving pools' gains into the conv or classifier before or after the pool,
/// hyper convs and the hyper classifier at λ̃, and each MPELU's β and 1/β into its neighbours
/// (<see cref="MpeluGraph"/>). What remains per activation on a concatenation is one per-channel
/// multiply-add (the bias or norm, and β) before MPELU's five ops, and before a zero-padded 3×3
/// conv one per-channel Add (the padding must stay 0). The per-block dropout
/// hooks only act while training. A structured <see cref="PruningPlan"/> narrows every conv to
/// its kept units and every reader of a concatenation to the channels still in it; the
/// per-channel norms and MPELUs follow. For int8 (<c>quantizable</c>) MPELU is written by its
/// formula (<see cref="MpeluGraph.ApplyPlain"/>) and nothing of it is folded, so every conv
/// reads the activation itself, as per-tensor quantization needs.
/// </summary>
internal static class DenseNetGraph
{
    /// <summary>Images (B, C, H, W) → logits (B, classes), for images of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public static string Write(OnnxGraph g, string images, DenseNetBC model, double[]? lambda, long height, long width, PruningPlan plan, bool quantizable = false)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(model);
        var stem = FoldedWeights.Of(model.Stem).PruneInputs(plan, model.Stem).PruneOutputs(plan, model.Stem);
        var x = g.Conv(images, "stem", stem, model.Stem.Stride, model.Stem.Padding);            // (B, 2k, H, W)
        for (var b = 0; b < 3; b++)
        {
            x = Block(g, x, $"block{b + 1}", model.Blocks[b], lambda, plan, quantizable);     // (B, C + L·k, H, W)
            if (b < 2)
            {
                x = Transition(g, x, $"trans{b + 1}", model.Transitions[b], plan, quantizable); // (B, θC, H/2, W/2)
                height /= 2;
                width /= 2;
            }
        }

        var channels = plan.LiveInputs(model.Fc)?.Channels;
        var act = MpeluGraph.Fold(model.FinalAct, channels);
        x = Activation(g, x, "final_act", model.FinalNorm, model.FinalFixupBiases?.Act, act, channels, quantizable); // (B, C, H, W), β ⊙ MPELU + offset (MPELU for int8)
        x = g.Flatten(g.Add("GlobalAveragePool", [x]));                                  // (B, C)
        var fc = (model.HyperFc is { } hyper ? FoldedWeights.Of(hyper, lambda!) : FoldedWeights.Of(model.Fc)).PruneInputs(plan, model.Fc);
        if (model.FinalFixupBiases is { } biases) fc.ShiftInputs(Scalar(biases.Fc));
        if (model.Options.NormPreservingPools) fc.ScaleInputs(Math.Sqrt(height * width));
        if (!quantizable) ReadScaled(fc, act);                                              // the pool is linear: 1/β and the offset pass through it
        return g.Gemm(x, "fc", fc.PruneOutputs(plan, model.Fc));                           // (B, classes)
    }

    private static string Block(OnnxGraph g, string x, string name, DenseBlock block, double[]? lambda, PruningPlan plan, bool quantizable)
    {
        var features = x;
        for (var l = 0; l < block.Layers.Count; l++)
        {
            var fresh = Layer(g, features, $"{name}.layer{l + 1}", block.Layers[l], lambda, plan, quantizable); // (B, k, H, W)
            features = g.Concat(features, fresh);                                          // (B, C + k, H, W)
        }

        return features;
    }

    private static string Layer(OnnxGraph g, string x, string name, DenseLayer layer, double[]? lambda, PruningPlan plan, bool quantizable)
    {
        var fixup = layer.FixupBiases;
        var live = plan.LiveInputs(layer.Conv1)?.Channels;
        var act1 = MpeluGraph.Fold(layer.Act1, live);
        var h = Activation(g, x, $"{name}.act1", layer.Norm1, fixup?.Act1, act1, live, quantizable); // (B, C, H, W), β₁ ⊙ MPELU + offset₁ (MPELU for int8)

        // 1×1 conv, no padding: 1/β₁, the offset and the bias before it, the norm or bias after it and
        // the next MPELU's β₂ all fold in.
        var conv1 = FoldedWeights.Of(layer.Conv1).PruneInputs(plan, layer.Conv1);
        if (fixup is { } before) conv1.ShiftInputs(Scalar(before.Conv1));
        if (!quantizable) ReadScaled(conv1, act1);
        if (fixup is { } after) conv1.ShiftOutputs(Scalar(after.Act2));
        else conv1.NormalizeOutputs(layer.Norm2!);
        var act2 = MpeluGraph.Fold(layer.Act2, plan.KeptUnits(layer.Conv1));
        conv1.PruneOutputs(plan, layer.Conv1);
        if (!quantizable) conv1.ScaleOutputChannels(act2.Beta);
        h = g.Conv(h, $"{name}.conv1", conv1, layer.Conv1.Stride, layer.Conv1.Padding); // (B, 4k, H, W), β₂ ⊙ pre-activation (plain for int8)
        h = quantizable ? MpeluGraph.ApplyPlain(g, h, $"{name}.act2", act2) : MpeluGraph.ApplyScaled(g, h, $"{name}.act2", act2); // (B, 4k, H, W)

        // 3×3 conv with zero padding: conv((x − o₂)/β₂ + b) = conv'(x − o₂ + β₂b) with 1/β₂ in its
        // input channels (exact at the padding, where both inputs are 0), so the shift stays one
        // per-channel Add; Fixup's scale folds in.
        var conv2Bias = fixup is { } beforeConv2 ? Scalar(beforeConv2.Conv2) : 0;
        if (quantizable)
        {
            if (fixup is not null) h = g.AddScalar(h, $"{name}.bias2b.bias", conv2Bias);
        }
        else
        {
            var shift = new float[act2.Beta.Length];
            for (var c = 0; c < shift.Length; c++) shift[c] = (float)(act2.Beta[c] * conv2Bias - act2.Offset[c]);
            h = g.Add("Add", [h, g.Constant($"{name}.bias2b.shift", shift, 1, shift.Length, 1, 1)]);
        }

        var conv2 = (layer.HyperConv2 is { } hyper ? FoldedWeights.Of(hyper, lambda!) : FoldedWeights.Of(layer.Conv2)).PruneInputs(plan, layer.Conv2);
        if (!quantizable) conv2.ScaleInputChannels(act2.Gain);
        if (layer.Scale is { } scale) conv2.ScaleOutputs(Scalar(scale.Value.Value));
        return g.Conv(h, $"{name}.conv2", conv2.PruneOutputs(plan, layer.Conv2), layer.Conv2.Stride, layer.Conv2.Padding); // (B, k, H, W)
    }

    private static string Transition(OnnxGraph g, string x, string name, Transition transition, PruningPlan plan, bool quantizable)
    {
        var fixup = transition.FixupBiases;
        var live = plan.LiveInputs(transition.Conv)?.Channels;
        var act = MpeluGraph.Fold(transition.Act, live);
        var h = Activation(g, x, $"{name}.act", transition.Norm, fixup?.Act, act, live, quantizable); // (B, C, H, W), β ⊙ MPELU + offset (MPELU for int8)
        var conv = FoldedWeights.Of(transition.Conv).PruneInputs(plan, transition.Conv);
        if (fixup is { } biases) conv.ShiftInputs(Scalar(biases.Conv));
        if (!quantizable) ReadScaled(conv, act);

        // pool(conv(x))·2 = pool(2·conv(x)): the norm-preserving gain moves into the conv.
        if (transition.NormPreserving) conv.ScaleOutputs(2.0);
        h = g.Conv(h, $"{name}.conv", conv.PruneOutputs(plan, transition.Conv), transition.Conv.Stride, transition.Conv.Padding);
        return g.AveragePool(h, 2);
    }

    // β ⊙ MPELU(norm(x)) or β ⊙ MPELU(x + b), plus the fold's offset, on a concatenation, where no
    // conv comes before to fold into: the norm's (or bias's) per-channel affine and β make one op.
    // For int8, MPELU(norm(x)) or MPELU(x + b) by its formula.
    private static string Activation(OnnxGraph g, string x, string name, BatchNorm2d? norm, ScalarBias? bias, MpeluFold act, int[]? channels, bool quantizable)
    {
        double[] a, c;
        if (norm is not null)
        {
            var (scale, shift) = FoldedWeights.Affine(norm);
            a = PruningPlan.Select(scale, channels);
            c = PruningPlan.Select(shift, channels);
        }
        else
        {
            var b = Scalar(bias ?? throw new InvalidOperationException($"{name} has neither a norm nor a Fixup bias before it."));
            if (quantizable) return MpeluGraph.ApplyPlain(g, g.AddScalar(x, $"{name}.bias", b), name, act);
            a = new double[act.Beta.Length];
            Array.Fill(a, 1.0);
            c = new double[act.Beta.Length];
            Array.Fill(c, b);
        }

        if (quantizable) return MpeluGraph.ApplyPlain(g, g.MultiplyAdd(x, $"{name}.norm", Array.ConvertAll(a, v => (float)v), Array.ConvertAll(c, v => (float)v)), name, act);
        return MpeluGraph.ApplyAfterAffine(g, x, name, act, a, c);
    }

    // The reader of β ⊙ MPELU + offset (an unpadded conv or the classifier) takes 1/β and −offset
    // per input channel, so it computes what it would on MPELU itself.
    private static void ReadScaled(FoldedWeights reader, MpeluFold act) =>
        reader.ScaleInputChannels(act.Gain).ShiftInputChannels(Array.ConvertAll(act.Offset, o => -o));

    private static double Scalar(ScalarBias bias) => Scalar(bias.Value.Value);

    private static double Scalar(Torch.Tensor value) => value.ToArray<float>()[0];
}
