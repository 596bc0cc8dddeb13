using System.Text.Json;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Bench.Compression;

/// <summary>
/// A trained DenseNet-BC (norm none, Fixup) as plain tensors for <c>bench/peers/torch_onnx_export.py</c>,
/// which builds the same network as an ordinary PyTorch module and writes it with
/// <c>torch.onnx.export</c>. Everything is as trained (stem, convs, Fixup biases and scales,
/// MPELU α and β clamped as the forward pass clamps them, the classifier) except the hyper
/// layers, which are folded at the final λ̃ into plain weights, as PyTorch has no such layer:
/// that favours the peer. Written as <c>NAME.json</c> (shapes, offsets, architecture) and
/// <c>NAME.bin</c> (float32, little-endian).
/// </summary>
public static class DenseNetPeerWeights
{
    /// <summary>Writes the model in <paramref name="modelDir"/> as <paramref name="jsonPath"/> and its .bin twin; returns the JSON path.</summary>
    public static string Write(string modelDir, string jsonPath)
    {
        using var exported = ExportedModel.Load(modelDir);
        if (exported.Model is not DenseNetBC net || net.FinalFixupBiases is null)
        {
            throw new InvalidOperationException("the PyTorch peer rebuilds DenseNet-BC without batch norm (model.norm none) only.");
        }

        var lambda = OnnxExport.Lambda(exported);
        var tensors = new List<(string Name, long[] Shape, float[] Data)>();
        void Add(string name, long[] shape, float[] data) => tensors.Add((name, shape, data));
        void Scalar(string name, ScalarBias bias) => Add(name, [1], bias.Value.Value.ToArray<float>());
        void Act(string name, Mpelu act)
        {
            Add($"{name}.alpha", [act.Channels], Array.ConvertAll(act.Alpha.Value.ToArray<float>(), a => Math.Max(a, 0f)));
            Add($"{name}.beta", [act.Channels], Array.ConvertAll(act.Beta.Value.ToArray<float>(), b => Math.Max(b, (float)Mpelu.MinBeta)));
        }

        void Weights(string name, FoldedWeights w, bool bias)
        {
            Add($"{name}.weight", w.Shape, w.Weight());
            if (bias || w.HasBias) Add($"{name}.bias", [w.Shape[0]], w.Bias());
        }

        Weights("stem", FoldedWeights.Of(net.Stem), false);
        for (var b = 0; b < 3; b++)
        {
            for (var l = 0; l < net.Blocks[b].Layers.Count; l++)
            {
                var layer = net.Blocks[b].Layers[l];
                var name = $"block{b + 1}.layer{l + 1}";
                var fixup = layer.FixupBiases!.Value;
                Scalar($"{name}.bias1a", fixup.Act1);
                Act($"{name}.act1", layer.Act1);
                Scalar($"{name}.bias1b", fixup.Conv1);
                Weights($"{name}.conv1", FoldedWeights.Of(layer.Conv1), false);
                Scalar($"{name}.bias2a", fixup.Act2);
                Act($"{name}.act2", layer.Act2);
                Scalar($"{name}.bias2b", fixup.Conv2);
                Weights($"{name}.conv2", layer.HyperConv2 is { } hyper ? FoldedWeights.Of(hyper, lambda!) : FoldedWeights.Of(layer.Conv2), false);
                Add($"{name}.scale", [1], layer.Scale is { } s ? s.Value.Value.ToArray<float>() : [1f]);
            }

            if (b < 2)
            {
                var transition = net.Transitions[b];
                var name = $"trans{b + 1}";
                var fixup = transition.FixupBiases!.Value;
                Scalar($"{name}.bias1a", fixup.Act);
                Act($"{name}.act", transition.Act);
                Scalar($"{name}.bias1b", fixup.Conv);
                Weights($"{name}.conv", FoldedWeights.Of(transition.Conv), false);
            }
        }

        var final = net.FinalFixupBiases.Value;
        Scalar("final.bias_act", final.Act);
        Act("final.act", net.FinalAct);
        Scalar("final.bias_fc", final.Fc);
        Weights("fc", net.HyperFc is { } hyperFc ? FoldedWeights.Of(hyperFc, lambda!) : FoldedWeights.Of(net.Fc), true);

        var binPath = Path.ChangeExtension(jsonPath, ".bin");
        long offset = 0;
        var index = new Dictionary<string, object>(StringComparer.Ordinal);
        using (var bin = File.Create(binPath))
        using (var writer = new BinaryWriter(bin))
        {
            foreach (var (name, shape, data) in tensors)
            {
                index[name] = new { shape, offset };
                foreach (var v in data) writer.Write(v); // little-endian on every platform .NET runs us on
                offset += data.Length;
            }
        }

        var layers = net.Blocks.Select(b => b.Layers.Count).ToArray();
        var card = new { layers_per_block = layers, norm_preserving_pools = net.Options.NormPreservingPools, bin = Path.GetFileName(binPath), tensors = index };
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(card));
        return jsonPath;
    }
}
