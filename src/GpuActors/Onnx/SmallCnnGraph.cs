using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// <see cref="SmallCnn"/> in evaluation mode as ONNX: conv → relu → pool twice, flatten, then
/// the fully connected layers with any hyper layer folded at λ̃. The STN's dropouts hook into
/// the forward pass only while training, so they leave no trace here. A structured
/// <see cref="PruningPlan"/> narrows each layer to its kept units and its reader to the
/// channels (or flattened channel blocks) still produced.
/// </summary>
internal static class SmallCnnGraph
{
    /// <summary>Images (B, C, H, W) → logits (B, classes).</summary>
    public static string Write(OnnxGraph g, string images, SmallCnn model, double[]? lambda, PruningPlan plan)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(model);
        var h = g.Conv(images, "conv1", Pruned(FoldedWeights.Of(model.Conv1), plan, model.Conv1), model.Conv1.Stride, model.Conv1.Padding);
        h = g.MaxPool(g.Add("Relu", [h]), 2);                                              // (B, c1, H/2, W/2)
        h = g.Conv(h, "conv2", Pruned(FoldedWeights.Of(model.Conv2), plan, model.Conv2), model.Conv2.Stride, model.Conv2.Padding);
        h = g.Flatten(g.MaxPool(g.Add("Relu", [h]), 2));                                   // (B, c2·H·W/16)
        if (model.Hidden is { } hidden)
        {
            var weights = model.HyperHidden is { } hyper ? FoldedWeights.Of(hyper, lambda!) : FoldedWeights.Of(hidden);
            h = g.Add("Relu", [g.Gemm(h, "fc1", Pruned(weights, plan, hidden))]);          // (B, hidden)
        }

        var fc = model.HyperFc is { } hyperFc ? FoldedWeights.Of(hyperFc, lambda!) : FoldedWeights.Of(model.Fc);
        return g.Gemm(h, "fc", Pruned(fc, plan, model.Fc));                                // (B, classes)
    }

    // Nothing folds into these layers, so both sides of the plan apply at once.
    private static FoldedWeights Pruned(FoldedWeights w, PruningPlan plan, Module layer) => w.PruneInputs(plan, layer).PruneOutputs(plan, layer);
}
