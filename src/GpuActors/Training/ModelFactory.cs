using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Stn;

namespace HyperSwarm.GpuActors.Training;

/// <summary>Builds the classifier a <see cref="ModelConfig"/> names, for images of one shape.</summary>
public static class ModelFactory
{
    /// <summary>Hidden width of the small CNN's fully connected layer.</summary>
    public const int SmallCnnHidden = 128;

    /// <summary>
    /// A fresh classifier for <paramref name="shape"/> images and <paramref name="classes"/>
    /// classes; with <paramref name="hyper"/>, its layers are hyper layers fed that input.
    /// <paramref name="optimizer"/> (the weight optimizer's kind) picks AGD's norm-preserving
    /// pools for DenseNet-BC: measured on DenseNet-BC-40, plain average pools shrink the
    /// features the classifier sees about 28× and AGD's gradient summary with them.
    /// </summary>
    public static Classifier Create(ModelConfig config, ImageShape shape, int classes, HyperInput? hyper, string optimizer)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Kind switch
        {
            "densenet-bc" => new DenseNetBC(DenseNetOptions(config, shape, classes) with { NormPreservingPools = optimizer == "agd" }, hyper),
            "small-cnn" => shape.Height == shape.Width && shape.Height % 4 == 0
                ? new SmallCnn(shape.Channels, shape.Height, classes, hidden: SmallCnnHidden, hyper: hyper)
                : throw new ArgumentException($"small-cnn needs square images with a side divisible by 4, got {shape}."),
            _ => throw new ArgumentException($"unknown model kind '{config.Kind}'."),
        };
    }

    /// <summary>The DenseNet-BC options of <paramref name="config"/> for this data.</summary>
    public static DenseNetOptions DenseNetOptions(ModelConfig config, ImageShape shape, int classes)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = new DenseNetOptions
        {
            Depth = config.Depth,
            GrowthRate = config.GrowthRate,
            BottleneckWidth = config.BottleneckWidth,
            Compression = config.Compression,
            Norm = config.Norm == "batch" ? NormKind.Batch : NormKind.None,
            FirstHyperBlock = config.FirstHyperBlock,
            InChannels = shape.Channels,
            Classes = classes,
        };
        options.Validate();
        return options;
    }
}
