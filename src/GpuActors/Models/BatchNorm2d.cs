using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>Batch normalisation over (B, H, W) per channel, with running statistics as buffers.</summary>
public sealed class BatchNorm2d : Module
{
    private readonly Tensor runningMean;
    private readonly Tensor runningVar;

    /// <summary>Creates a layer for <paramref name="channels"/> channels with a learnable affine.</summary>
    public BatchNorm2d(long channels, double momentum = 0.1, double eps = 1e-5)
    {
        Momentum = momentum;
        Eps = eps;
        Weight = AddParameter("weight", Init.Constant([channels], 1), ParameterRole.NormAffine);
        Bias = AddParameter("bias", Init.Zeros([channels]), ParameterRole.NormAffine);
        runningMean = AddBuffer("running_mean", Torch.Torch.Zeros([channels]));
        runningVar = AddBuffer("running_var", Torch.Torch.Ones([channels]));
    }

    /// <summary>Running-statistics update rate.</summary>
    public double Momentum { get; }

    /// <summary>Variance floor.</summary>
    public double Eps { get; }

    /// <summary>Scale (C).</summary>
    public Parameter Weight { get; }

    /// <summary>Shift (C).</summary>
    public Parameter Bias { get; }

    /// <summary>Running mean (C), used in evaluation.</summary>
    public Tensor RunningMean => runningMean;

    /// <summary>Running variance (C), used in evaluation.</summary>
    public Tensor RunningVar => runningVar;

    /// <summary>(B, C, H, W) → same; batch statistics in training mode, running ones in evaluation.</summary>
    public Tensor Forward(Tensor x) =>
        Functional.BatchNorm(x, runningMean, runningVar, Weight.Value, Bias.Value, Training, Momentum, Eps);
}
