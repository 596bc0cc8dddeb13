using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Stn;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Onnx;

/// <summary>
/// Exported models of every kind the ONNX writer folds, saved to a folder as training saves
/// them and loaded back, with every parameter, statistic and λ̃ moved off its initial value:
/// Fixup's zero convs and classifier, unit scales, zero scalar biases, identity batch norms and
/// zero gates would each hide a folding mistake.
/// </summary>
internal static class ExportableModels
{
    /// <summary>Case names for theories, each one model shape.</summary>
    public static readonly string[] Cases = ["small-cnn", "small-cnn-stn", "densenet-fixup", "densenet-batchnorm", "densenet-stn-agd"];

    public static readonly ImageShape FashionMnist = new(1, 28, 28);

    /// <summary>Saves a perturbed model of <paramref name="name"/> under <paramref name="directory"/> and loads it back.</summary>
    public static ExportedModel Save(string name, string directory, int seed = 7)
    {
        var (config, stn, optimizer) = name switch
        {
            "small-cnn" => (new ModelConfig { Kind = "small-cnn" }, false, "adam"),
            "small-cnn-stn" => (new ModelConfig { Kind = "small-cnn" }, true, "adam"),
            "densenet-fixup" => (new ModelConfig { Depth = 16, GrowthRate = 6 }, false, "adam"),
            "densenet-batchnorm" => (new ModelConfig { Depth = 16, GrowthRate = 6, Norm = "batch" }, false, "adam"),
            "densenet-stn-agd" => (new ModelConfig { Depth = 16, GrowthRate = 6, FirstHyperBlock = 2 }, true, "agd"),
            _ => throw new ArgumentException(name, nameof(name)),
        };
        Torch.Torch.ManualSeed(seed);
        var plan = HyperparameterPlan.Resolve(new StnConfig { Enabled = stn }, config.Kind);
        using var space = stn ? new HyperparameterSpace(plan.Tuned) : null;
        using var model = ModelFactory.Create(config, FashionMnist, 10, space is null ? null : new HyperInput(space.Count), optimizer);
        Perturb(model, space);
        var card = new ModelCard
        {
            Weights = ExportedModel.WeightsFileName, Model = config, Dataset = "fashion-mnist", InputShape = [1, 28, 28],
            Mean = [0.2860f], Std = [0.3530f], ClassNames = [.. Enumerable.Range(0, 10).Select(c => $"class {c}")],
            Tuned = [.. plan.Tuned.Select(s => new TunedHyperparameter(s.Name, s.Kind.ToString(), s.Lower, s.Upper, s.Initial))],
            Hyperparameters = [], Optimizer = optimizer, WeightSteps = 1, Epochs = 0.01, Parameters = model.ParameterCount(), ValidationAccuracy = 0.1,
        };
        // A host copy: the snapshot holds no tensors.
        var snapshot = ExportedModel.Snapshot(model, space, 1);
        ExportedModel.SaveAsync(directory, snapshot, card, CancellationToken.None).GetAwaiter().GetResult();

        return ExportedModel.Load(directory);
    }

    /// <summary>The first <paramref name="count"/> Fashion-MNIST test images, normalised (N, 1, 28, 28) row-major, and their labels.</summary>
    public static (float[] Images, long[] Labels) TestImages(int count, ImageDataset test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var normalization = new Normalization([0.2860f], [0.3530f]);
        var images = new float[count * test.Shape.Size];
        for (var i = 0; i < count; i++)
        {
            var image = test.Image(i);
            for (var p = 0; p < image.Length; p++) images[i * test.Shape.Size + p] = image[p] / 255f;
        }

        normalization.Apply(images, test.Shape);
        return (images, test.Labels[..count]);
    }

    private static void Perturb(Module model, HyperparameterSpace? space)
    {
        using var noGrad = NoGrad.Enter();
        foreach (var (name, p) in model.NamedParameters())
        {
            var t = p.Value;
            switch (p.Role)
            {
                case ParameterRole.MpeluAlpha or ParameterRole.MpeluBeta:
                    t.UniformInPlace(0.2, 1.5);
                    break;
                case ParameterRole.NormAffine or ParameterRole.Scalar:
                    // Scales (BN's weight, Fixup's multiplier) around 1, shifts around 0.
                    var scale = name.EndsWith(".weight", StringComparison.Ordinal) || name.EndsWith(".scale", StringComparison.Ordinal);
                    t.UniformInPlace(scale ? 0.7 : -0.3, scale ? 1.3 : 0.3);
                    break;
                case ParameterRole.HyperGate:
                    t.NormalInPlace(0, 0.3);
                    break;
                default:
                    // Weights: a fresh draw at PyTorch's default scale, so zero-initialised ones are live.
                    t.NormalInPlace(0, 1 / Math.Sqrt(Math.Max(1, t.Numel / p.Shape[0])));
                    break;
            }
        }

        foreach (var (name, b) in model.NamedBuffers())
        {
            if (name.EndsWith("running_var", StringComparison.Ordinal)) b.UniformInPlace(0.5, 2.0);
            else if (name.EndsWith("running_mean", StringComparison.Ordinal)) b.NormalInPlace(0, 0.3);
        }

        space?.Unconstrained.NormalInPlace(0, 1);
    }
}
