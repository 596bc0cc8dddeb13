using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Optim;

/// <summary>
/// Adam (Kingma and Ba) with bias correction and optional L2 weight decay added to the
/// gradient (PyTorch's <c>Adam</c>, not AdamW). State per tensor: the first and second moment
/// estimates; the step count t for the bias correction is <see cref="Optimizer.StepCount"/>.
/// The same class serves the baseline arm and the STN's hyper steps
/// (<see cref="ForHyperparameters"/>).
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;

    /// <summary>Adam over a module's parameters (PyTorch defaults).</summary>
    public Adam(IEnumerable<(string Name, Parameter Parameter)> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : this(OptimizedTensor.FromParameters(parameters), learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>Adam over plain named tensors (PyTorch defaults).</summary>
    public Adam(IEnumerable<(string Name, Tensor Tensor)> tensors, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : this(OptimizedTensor.FromTensors(tensors), learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    private Adam(IReadOnlyList<OptimizedTensor> targets, double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
        : base(targets)
    {
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        firstMoments = Targets.Select(t => AddState($"{t.Name}.exp_avg", ZerosLike(t.Value))).ToArray();
        secondMoments = Targets.Select(t => AddState($"{t.Name}.exp_avg_sq", ZerosLike(t.Value))).ToArray();
    }

    /// <summary>Step size.</summary>
    public double LearningRate { get; set; }

    /// <summary>Decay of the first moment (one-cycle schedules cycle it like a momentum).</summary>
    public double Beta1 { get; set; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to √v̂ in the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>L2 penalty coefficient added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>
    /// The optimizer for the STN's hyper steps (λ̃ and s = softplus⁻¹(σ)): Adam with lr 3e-3,
    /// the reference CIFAR ST-CNN setting for both hyperparameters and scales (ALGORITHMS §1.5).
    /// Adam's per-coordinate normalisation makes the step about lr in λ̃ units whatever the
    /// hypergradient's magnitude, which differs by orders between configs; that is why one
    /// default serves every shipped config without tuning.
    /// </summary>
    public static Adam ForHyperparameters(IEnumerable<(string Name, Tensor Tensor)> hyperparameters) => new(hyperparameters, learningRate: 3e-3);

    /// <inheritdoc/>
    protected override void Update(IReadOnlyList<Tensor?> grads)
    {
        ArgumentNullException.ThrowIfNull(grads);
        var t = StepCount;
        var correction1 = 1 - Math.Pow(Beta1, t);
        var correction2 = 1 - Math.Pow(Beta2, t);
        for (var i = 0; i < grads.Count; i++)
        {
            if (grads[i] is not { } g) continue;
            var p = Targets[i].Value;
            var m = firstMoments[i];
            var v = secondMoments[i];
            if (WeightDecay != 0) g.AddInPlace(p, WeightDecay);
            m.LerpInPlace(g, 1 - Beta1);             // m = β1·m + (1 − β1)·g
            v.MulInPlace(Beta2);                     // v = β2·v + (1 − β2)·g²
            v.AddcmulInPlace(g, g, 1 - Beta2);
            var denom = v.Sqrt();                    // √v̂ + ε with v̂ = v / (1 − β2ᵗ)
            denom.MulInPlace(1 / Math.Sqrt(correction2));
            denom.AddInPlace(Epsilon);
            p.AddcdivInPlace(m, denom, -LearningRate / correction1); // m̂ = m / (1 − β1ᵗ)
        }
    }

    private static Tensor ZerosLike(Tensor t) => Torch.Torch.Zeros(t.Shape, t.DType, t.Device);
}
