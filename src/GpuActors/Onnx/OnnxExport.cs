using System.Reflection;
using Google.Protobuf;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Training;
using Onnx;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// Writes an exported model as a plain float32 ONNX classifier: input <c>images</c>
/// (batch, C, H, W), normalised as the card says, output <c>logits</c> (batch, classes), opset
/// <see cref="Opset"/>. The network is written from its structure in evaluation mode with every
/// hyperparameter-dependent part at the final λ̃ (<see cref="FoldedWeights"/>), so the file
/// needs no HyperSwarm op and no hyperparameter input. Run it on the thread that loaded the model.
/// </summary>
public static class OnnxExport
{
    /// <summary>The default-domain opset written: 13 has every op used here and is read by ONNX 1.12 (Debian's checker) and ONNX Runtime alike.</summary>
    public const int Opset = 13;

    /// <summary>IR version 8, the newest ONNX 1.12 reads.</summary>
    public const long IrVersion = 8;

    /// <summary>The graph's input name.</summary>
    public const string InputName = "images";

    /// <summary>The graph's output name.</summary>
    public const string OutputName = "logits";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically: a failure leaves no file behind.</summary>
    public static Task WriteAsync(ExportedModel model, string path, CancellationToken cancellationToken)
    {
        var bytes = ToBytes(model, Path.GetFileName(path));
        return AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken);
    }

    /// <summary>The metadata key that says how the file was compressed (absent: a plain float export).</summary>
    public const string CompressionKey = "hyperswarm.compression";

    /// <summary>
    /// The .onnx file's bytes for <paramref name="model"/>, to be saved as <paramref name="fileName"/>,
    /// pruned as <paramref name="plan"/> says (null: not at all) and, given
    /// <paramref name="int8"/>, quantized to int8 calibrated on its images.
    /// </summary>
    public static byte[] ToBytes(ExportedModel model, string fileName, PruningPlan? plan = null, Int8Calibration? int8 = null)
    {
        // int8 quantizes every conv input per tensor, so those inputs must be the activations
        // themselves, not β-scaled and shifted per channel (DenseNetGraph's float form).
        var proto = Build(model, fileName, plan, quantizable: int8 is not null);
        if (int8 is not null) Int8Quantization.Apply(proto, int8.Images, int8.Count, int8.Threads);
        var notes = new List<string>();
        if (plan is { Sparsity: > 0 }) notes.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"magnitude pruning at sparsity {plan.Sparsity} ({(plan.Structured ? "structured: units removed" : "per weight: zeros stored")})"));
        if (int8 is not null) notes.Add($"int8 QDQ (weights per output channel, activations per tensor, calibrated on {int8.Count} training images)");
        if (notes.Count > 0) proto.MetadataProps.Add(new StringStringEntryProto { Key = CompressionKey, Value = string.Join("; ", notes) });
        return proto.ToByteArray();
    }

    /// <summary>The final λ̃ the hyper layers are folded at, on the host; null for a plain network.</summary>
    public static double[]? Lambda(ExportedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Space is null ? null : FoldedWeights.Host(model.Space.Unconstrained);
    }

    /// <summary>
    /// The ONNX model for <paramref name="model"/>; the card in its metadata names
    /// <paramref name="fileName"/> as its weights. A network of a kind this writer does not
    /// know throws <see cref="NotSupportedException"/>.
    /// </summary>
    internal static ModelProto Build(ExportedModel model, string fileName, PruningPlan? plan = null, bool quantizable = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        plan ??= PruningPlan.None;
        var card = model.Card with { Weights = fileName };
        var shape = card.InputShape;
        var lambda = Lambda(model);
        var g = new OnnxGraph($"hyperswarm-{card.Model.Kind}");
        var images = g.Input(InputName, shape[0], shape[1], shape[2]);
        var logits = model.Model switch
        {
            SmallCnn cnn => SmallCnnGraph.Write(g, images, cnn, lambda, plan),
            DenseNetBC dense => DenseNetGraph.Write(g, images, dense, lambda, shape[1], shape[2], plan, quantizable),
            var other => throw new NotSupportedException($"a {other.GetType().Name} cannot be exported to ONNX yet; small-cnn and densenet-bc can."),
        };
        g.Output(logits, OutputName, card.ClassNames.Length);

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "hyperswarm",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            DocString = $"{card.Model.Kind} trained on {card.Dataset}, exported for inference (evaluation mode, hyperparameters folded at their final values).",
            Graph = g.Proto,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in OnnxMetadata.Of(card)) proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }
}
