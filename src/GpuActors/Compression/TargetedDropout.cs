using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Compression;

/// <summary>
/// Targeted dropout (Gomez et al. 2019; ALGORITHMS §6) on a classifier's convolutions and linear
/// layers. Before each weight step the candidates are ranked on the host from the current
/// weights (per unit the γ smallest-magnitude weights, or per layer the γ smallest-norm units);
/// each candidate is then dropped with probability α for that step: W' = W ⊙ (1 − M ⊙ Bernoulli(α)),
/// with no 1/(1 − α) rescaling, through each layer's <c>WeightMask</c>, so dropped weights get no
/// gradient. <see cref="Prune"/> drops every candidate: the network as magnitude pruning at γ
/// will export it. Unit targeting leaves the classifier alone (its units are the classes).
/// Masks live until <see cref="Clear"/>; run it on the model's thread.
/// </summary>
public sealed class TargetedDropout : IDisposable
{
    private readonly IReadOnlyList<PrunableLayer> layers;
    private readonly List<Tensor> masks = [];

    /// <summary>Targets proportion <paramref name="gamma"/> of <paramref name="model"/>'s weights or units.</summary>
    public TargetedDropout(Classifier model, double gamma, TargetingMode mode)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(gamma >= 0 && gamma <= TargetSelection.MaxProportion)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"γ lies in [0, {TargetSelection.MaxProportion}].");
        Gamma = gamma;
        Mode = mode;
        layers = [.. PrunableLayer.Of(model).Where(l => mode == TargetingMode.Weight || !l.IsClassifier)];
    }

    /// <summary>The targeting proportion γ.</summary>
    public double Gamma { get; }

    /// <summary>Weights or units.</summary>
    public TargetingMode Mode { get; }

    /// <summary>The layers it masks, in forward order.</summary>
    public IReadOnlyList<PrunableLayer> Layers => layers;

    /// <summary>Masks every layer for one training step: each candidate dropped with probability <paramref name="alpha"/>.</summary>
    public void Drop(double alpha)
    {
        Clear();
        var rate = Math.Clamp(alpha, 0, 1);
        foreach (var layer in layers) Install(layer, rate);
    }

    /// <summary>Masks every layer with every candidate dropped (α = 1): the pruned network.</summary>
    public void Prune() => Drop(1);

    /// <summary>Takes the masks off and frees them.</summary>
    public void Clear()
    {
        foreach (var layer in layers) layer.SetMask(null);
        foreach (var mask in masks) mask.Dispose();
        masks.Clear();
    }

    /// <summary>Same as <see cref="Clear"/>.</summary>
    public void Dispose() => Clear();

    private void Install(PrunableLayer layer, double alpha)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = NoGrad.Enter();
        var weight = layer.Weight.Value;
        var device = weight.Device;
        Tensor candidates;
        if (Mode == TargetingMode.Weight)
        {
            var m = TargetSelection.WeightCandidates(layer.HostWeight(), layer.Units, Gamma);
            candidates = Tensor.FromArray<float>(Array.ConvertAll(m, c => c ? 1f : 0f), weight.Shape, device); // (O, I, k, k) or (O, I)
        }
        else
        {
            var shape = new long[(int)weight.Dim];                                                               // (O, 1, 1, 1) or (O, 1)
            Array.Fill(shape, 1L);
            shape[0] = layer.Units;
            var m = TargetSelection.UnitCandidates(layer.HostWeight(), layer.Units, Gamma);
            candidates = Tensor.FromArray<float>(Array.ConvertAll(m, c => c ? 1f : 0f), shape, device);
        }

        // keep = 1 − M ⊙ Bernoulli(α); at α = 1 exactly 1 − M, with no draw.
        var dropped = alpha >= 1 ? candidates : candidates * Torch.Torch.RandLike(candidates).Lt(alpha).To(candidates.DType);
        var keep = (1.0 - dropped).Escape();
        masks.Add(keep);
        layer.SetMask(keep);
    }
}
