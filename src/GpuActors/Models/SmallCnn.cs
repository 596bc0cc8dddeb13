using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// The small CNN of the STN Fashion-MNIST example (ALGORITHMS §1.8), for tests and quick runs:
/// conv 5×5 (c₁) → ReLU → pool → conv 5×5 (c₂) → ReLU → pool → [FC hidden → ReLU] → FC classes.
/// Given a <see cref="HyperInput"/>, its fully connected layers are hyper layers.
/// </summary>
public sealed class SmallCnn : Classifier
{
    private readonly long classes;
    private readonly HyperInput? hyper;
    private readonly HyperLinear? hyperHidden;
    private readonly HyperLinear? hyperFc;

    /// <summary>Creates the net for square images of side <paramref name="imageSize"/> (divisible by 4).</summary>
    public SmallCnn(int inChannels = 1, int imageSize = 28, int classes = 10, int channels1 = 16, int channels2 = 32, int hidden = 0, HyperInput? hyper = null)
    {
        if (imageSize % 4 != 0) throw new ArgumentException($"image size must be divisible by 4, got {imageSize}.");
        this.classes = classes;
        Conv1 = AddModule("conv1", new Conv2d(inChannels, channels1, 5, padding: 2));
        Conv2 = AddModule("conv2", new Conv2d(channels1, channels2, 5, padding: 2));
        var flat = (long)channels2 * (imageSize / 4) * (imageSize / 4);
        this.hyper = hyper;
        if (hyper is null)
        {
            Hidden = hidden > 0 ? AddModule("fc1", new Linear(flat, hidden)) : null;
            Fc = AddModule("fc", new Linear(hidden > 0 ? hidden : flat, classes));
        }
        else
        {
            hyperHidden = hidden > 0 ? AddModule("fc1", new HyperLinear(flat, hidden, hyper.Count)) : null;
            Hidden = hyperHidden?.Elementary;
            hyperFc = AddModule("fc", new HyperLinear(hidden > 0 ? hidden : flat, classes, hyper.Count));
            Fc = hyperFc.Elementary;
        }
    }

    /// <inheritdoc />
    public override long Classes => classes;

    /// <summary>First conv.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>Second conv.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>Optional hidden FC layer (the elementary half when hyper).</summary>
    public Linear? Hidden { get; }

    /// <summary>Classifier (the elementary half when hyper).</summary>
    public Linear Fc { get; }

    /// <summary>The hidden layer as a hyper layer (self-tuning only); <see cref="Hidden"/> is its elementary half.</summary>
    public HyperLinear? HyperHidden => hyperHidden;

    /// <summary>The classifier as a hyper layer (self-tuning only); <see cref="Fc"/> is its elementary half.</summary>
    public HyperLinear? HyperFc => hyperFc;

    /// <summary>Called with (stage 0 = after conv block 1, 1 = after conv block 2, 2 = FC input); the STN's dropouts plug in here.</summary>
    public Func<int, Tensor, Tensor>? FeatureHook { get; set; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor images)
    {
        using var scope = TensorScope.Begin();
        var h = Functional.MaxPool2d(Conv1.Forward(images).Relu(), 2);   // (B, c1, H/2, W/2)
        if (FeatureHook is not null) h = FeatureHook(0, h);
        h = Functional.MaxPool2d(Conv2.Forward(h).Relu(), 2);           // (B, c2, H/4, W/4)
        if (FeatureHook is not null) h = FeatureHook(1, h);
        h = h.Flatten(1);                                               // (B, c2·H·W/16)
        if (Hidden is not null) h = (hyperHidden is null ? Hidden.Forward(h) : hyperHidden.Forward(h, hyper!.Current)).Relu();
        if (FeatureHook is not null) h = FeatureHook(2, h);
        return scope.Keep(hyperFc is null ? Fc.Forward(h) : hyperFc.Forward(h, hyper!.Current)); // (B, classes)
    }
}
