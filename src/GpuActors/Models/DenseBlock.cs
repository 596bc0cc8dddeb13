using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// A dense block: layer l reads the concatenation [x₀, h₁, …, h_{l−1}] and adds k channels.
/// An optional hook sees each layer's new features before they join the concatenation
/// (the STN applies its per-block dropout there).
/// </summary>
public sealed class DenseBlock : Module
{
    private readonly List<DenseLayer> layers = [];

    /// <summary>Creates <see cref="DenseNetOptions.LayersPerBlock"/> layers reading from <paramref name="inChannels"/>.</summary>
    public DenseBlock(long inChannels, DenseNetOptions options, double depthGain, HyperInput? hyper = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        InChannels = inChannels;
        for (var l = 0; l < options.LayersPerBlock; l++)
        {
            layers.Add(AddModule($"layer{l + 1}", new DenseLayer(inChannels + (long)l * options.GrowthRate, options, depthGain, hyper)));
        }

        OutChannels = inChannels + (long)options.LayersPerBlock * options.GrowthRate;
    }

    /// <summary>Channels entering the block (non-zero at init under Fixup-Dense).</summary>
    public long InChannels { get; }

    /// <summary>Channels leaving it.</summary>
    public long OutChannels { get; }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<DenseLayer> Layers => layers;

    /// <summary>(B, C₀, H, W) → (B, C₀ + L_b·k, H, W).</summary>
    public Tensor Forward(Tensor x, Func<Tensor, Tensor>? newFeatureHook = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        var features = x;
        foreach (var layer in layers)
        {
            var fresh = layer.Forward(features);                         // (B, k, H, W)
            var h = newFeatureHook is null ? fresh : newFeatureHook(fresh);
            var next = Tensor.Cat([features, h], 1);                     // (B, C + k, H, W)

            // cat saves nothing for backward, so the previous concatenation can go now rather
            // than at the end of the block: O(L·C) live memory instead of O(L²·k).
            if (!ReferenceEquals(features, x)) features.Dispose();
            if (!ReferenceEquals(h, fresh)) h.Dispose();
            fresh.Dispose();
            features = next;
        }

        return scope.Keep(features); // at least one layer, so always a new tensor
    }
}
