using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Compression;

/// <summary>
/// Magnitude pruning of one model at one sparsity, decided once from the weights as they will
/// be exported (hyper layers folded at λ̃) and then applied the same way everywhere: by the ONNX
/// writer, and as weight masks on the libtorch model while fine-tuning (<see cref="ApplyMasks"/>).
/// Per weight: in every unit of every layer, the <see cref="Sparsity"/> fraction of weights of
/// smallest magnitude are zeroed. Structured: in every layer but the classifier, that fraction of
/// units of smallest L2 norm are removed, and with them the channels they produced: every layer
/// reading such a channel (later dense layers and transitions through DenseNet's
/// concatenations, the small CNN's flattened features) loses that input, so the exported graph
/// is narrower, not only sparser. The ranking is the one targeted dropout trains for
/// (<see cref="TargetSelection"/>).
/// </summary>
public sealed class PruningPlan
{
    private readonly Dictionary<Module, bool[]> weightKeep = [];
    private readonly Dictionary<Module, int[]> keptUnits = [];
    private readonly Dictionary<Module, (int[] Channels, int Block)> liveInputs = [];

    private PruningPlan(double sparsity, bool structured, IReadOnlyList<PrunableLayer> layers)
    {
        Sparsity = sparsity;
        Structured = structured;
        Layers = layers;
    }

    /// <summary>No pruning at all.</summary>
    public static PruningPlan None { get; } = new(0, false, []);

    /// <summary>The proportion pruned.</summary>
    public double Sparsity { get; }

    /// <summary>Units (true) or single weights (false).</summary>
    public bool Structured { get; }

    /// <summary>The layers the plan covers.</summary>
    public IReadOnlyList<PrunableLayer> Layers { get; }

    /// <summary>
    /// The plan for <paramref name="model"/> at <paramref name="sparsity"/> in [0, 0.99], its
    /// hyper layers folded at <paramref name="lambda"/> (null for a plain network).
    /// </summary>
    public static PruningPlan For(Classifier model, double[]? lambda, double sparsity, bool structured)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(sparsity >= 0 && sparsity <= TargetSelection.MaxProportion))
        {
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, $"a sparsity lies in [0, {TargetSelection.MaxProportion}].");
        }

        var plan = new PruningPlan(sparsity, structured, PrunableLayer.Of(model));
        foreach (var layer in plan.Layers)
        {
            var folded = layer.FoldedWeight(lambda); // (O, fan-in)
            if (!structured)
            {
                plan.weightKeep[layer.Layer] = Array.ConvertAll(TargetSelection.WeightCandidates(folded, layer.Units, sparsity), c => !c);
            }
            else if (!layer.IsClassifier)
            {
                var candidates = TargetSelection.UnitCandidates(folded, layer.Units, sparsity);
                plan.keptUnits[layer.Layer] = [.. Enumerable.Range(0, layer.Units).Where(u => !candidates[u])];
            }
        }

        if (structured) plan.TraceChannels(model);
        return plan;
    }

    /// <summary>
    /// A structured plan that keeps exactly <paramref name="keptUnits"/> (by layer; a layer not
    /// named keeps all its units), with the channels of every other unit gone from the layers
    /// that read them, as <see cref="For"/> does for the units it ranks. Unit targeting masks a
    /// training step's network with it, so a dropped unit is absent downstream (its bias and
    /// activation's constant output included), as in the exported graph.
    /// </summary>
    public static PruningPlan ForUnits(Classifier model, double sparsity, IReadOnlyDictionary<Module, int[]> keptUnits)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(keptUnits);
        var plan = new PruningPlan(sparsity, true, PrunableLayer.Of(model));
        foreach (var (layer, kept) in keptUnits) plan.keptUnits[layer] = kept;
        plan.TraceChannels(model);
        return plan;
    }

    /// <summary>The units of <paramref name="layer"/> that stay, ascending; null when all do.</summary>
    public int[]? KeptUnits(Module layer) => keptUnits.GetValueOrDefault(layer);

    /// <summary>
    /// The input channels of <paramref name="layer"/> still produced by someone (structured),
    /// ascending, and how many consecutive fan-in entries each spans (k·k for a conv, H·W for a
    /// layer on flattened features); null when all are.
    /// </summary>
    public (int[] Channels, int Block)? LiveInputs(Module layer) => liveInputs.TryGetValue(layer, out var live) ? live : null;

    /// <summary>The entries of a per-channel <paramref name="values"/> at <paramref name="channels"/> (all when null).</summary>
    public static T[] Select<T>(T[] values, int[]? channels)
    {
        ArgumentNullException.ThrowIfNull(values);
        return channels is null ? values : [.. channels.Select(c => values[c])];
    }

    /// <summary>Keep flags over the weight (O·fan-in) of <paramref name="layer"/> (per weight); null when nothing is zeroed.</summary>
    public bool[]? WeightKeep(Module layer) => weightKeep.GetValueOrDefault(layer);

    /// <summary>
    /// Puts the plan on <paramref name="model"/>'s layers as weight masks (1 kept, 0 pruned):
    /// its forward pass is then the pruned network's, and pruned weights get no gradient. Returns
    /// the masks, which the caller owns: take them off (<see cref="ClearMasks"/>) before freeing them.
    /// </summary>
    public IReadOnlyList<Tensor> ApplyMasks()
    {
        var masks = new List<Tensor>();
        using var scope = TensorScope.Begin();
        foreach (var layer in Layers)
        {
            if (MaskOf(layer) is not { } keep) continue;
            var mask = keep.Escape();                                                        // same shape as the weight
            masks.Add(mask);
            layer.SetMask(mask);
        }

        return masks;
    }

    /// <summary>Takes every mask off the plan's layers.</summary>
    public void ClearMasks()
    {
        foreach (var layer in Layers) layer.SetMask(null);
    }

    // 0/1 over the weight's shape: the per-weight flags, or for structured plans rows of removed
    // units and columns of dead input channels at 0, built on the weight's device as rows
    // (O, 1, …) times columns (1, fan-in…): unit targeting builds a plan every training step, so
    // O + fan-in host values instead of O·fan-in (small CNN at γ 0.5, 400 steps: 8 % slower than
    // plain training, 10 % with full host masks).
    // Null when the layer keeps everything.
    private Tensor? MaskOf(PrunableLayer layer)
    {
        var weight = layer.Weight.Value;
        if (WeightKeep(layer.Layer) is { } flags) return Tensor.FromArray<float>(Array.ConvertAll(flags, k => k ? 1f : 0f), weight.Shape, weight.Device);
        var units = KeptUnits(layer.Layer);
        var inputs = LiveInputs(layer.Layer);
        if (units is null && inputs is null) return null;
        var rows = new float[layer.Units];
        foreach (var u in units ?? [.. Enumerable.Range(0, layer.Units)]) rows[u] = 1;
        var columns = new float[weight.Numel / layer.Units];
        if (inputs is { } live)
        {
            foreach (var c in live.Channels) Array.Fill(columns, 1f, c * live.Block, live.Block);
        }
        else
        {
            Array.Fill(columns, 1f);
        }

        var rowShape = weight.Shape.Select((d, i) => i == 0 ? d : 1).ToArray();            // (O, 1, …)
        var columnShape = weight.Shape.Select((d, i) => i == 0 ? 1 : d).ToArray();         // (1, I, k, k) or (1, I)
        return Tensor.FromArray<float>(rows, rowShape, weight.Device) * Tensor.FromArray<float>(columns, columnShape, weight.Device);
    }

    private int[] Kept(Module layer, long units) => KeptUnits(layer) ?? [.. Enumerable.Range(0, (int)units)];

    // Which input channels of each layer are still produced once the removed units are gone.
    private void TraceChannels(Classifier model)
    {
        switch (model)
        {
            case SmallCnn cnn:
                var spatial = (int)((cnn.Hidden?.InFeatures ?? cnn.Fc.InFeatures) / cnn.Conv2.OutChannels);
                liveInputs[cnn.Conv2] = (Kept(cnn.Conv1, cnn.Conv1.OutChannels), cnn.Conv2.Kernel * cnn.Conv2.Kernel);
                liveInputs[cnn.Hidden ?? cnn.Fc] = (Kept(cnn.Conv2, cnn.Conv2.OutChannels), spatial);
                if (cnn.Hidden is { } hidden) liveInputs[cnn.Fc] = (Kept(hidden, hidden.OutFeatures), 1);
                break;
            case DenseNetBC dense:
                TraceDenseNet(dense);
                break;
        }
    }

    private void TraceDenseNet(DenseNetBC dense)
    {
        var alive = Kept(dense.Stem, dense.Stem.OutChannels).ToList();       // live channels of the running concatenation
        for (var b = 0; b < 3; b++)
        {
            var block = dense.Blocks[b];
            var channels = (int)block.InChannels;
            foreach (var layer in block.Layers)
            {
                liveInputs[layer.Conv1] = ([.. alive], layer.Conv1.Kernel * layer.Conv1.Kernel);
                liveInputs[layer.Conv2] = (Kept(layer.Conv1, layer.Conv1.OutChannels), layer.Conv2.Kernel * layer.Conv2.Kernel);
                alive.AddRange(Kept(layer.Conv2, layer.Conv2.OutChannels).Select(u => channels + u));
                channels += (int)layer.Conv2.OutChannels;
            }

            if (b < 2)
            {
                var conv = dense.Transitions[b].Conv;
                liveInputs[conv] = ([.. alive], conv.Kernel * conv.Kernel);
                alive = [.. Kept(conv, conv.OutChannels)];
            }
        }

        liveInputs[dense.Fc] = ([.. alive], 1);
    }
}
