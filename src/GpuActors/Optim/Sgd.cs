using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Optim;

/// <summary>
/// SGD with optional (Nesterov) momentum and L2 weight decay, with PyTorch's update:
/// g ← ∇ + wd·p; b ← μ·b + g; p ← p − lr·(g + μ·b) (Nesterov) or p − lr·b.
/// <see cref="LearningRate"/> and <see cref="Momentum"/> may change between steps
/// (<see cref="OneCycleSchedule"/> sets them every batch). State: one momentum buffer per tensor.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[] buffers;

    /// <summary>SGD over a module's parameters.</summary>
    public Sgd(IEnumerable<(string Name, Parameter Parameter)> parameters, double learningRate, double momentum = 0, bool nesterov = false,
        double weightDecay = 0)
        : this(OptimizedTensor.FromParameters(parameters), learningRate, momentum, nesterov, weightDecay)
    {
    }

    /// <summary>SGD over plain named tensors.</summary>
    public Sgd(IEnumerable<(string Name, Tensor Tensor)> tensors, double learningRate, double momentum = 0, bool nesterov = false,
        double weightDecay = 0)
        : this(OptimizedTensor.FromTensors(tensors), learningRate, momentum, nesterov, weightDecay)
    {
    }

    private Sgd(IReadOnlyList<OptimizedTensor> targets, double learningRate, double momentum, bool nesterov, double weightDecay)
        : base(targets)
    {
        LearningRate = learningRate;
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        buffers = Targets.Select(t => AddState($"{t.Name}.momentum_buffer", Torch.Torch.Zeros(t.Value.Shape, t.Value.DType, t.Value.Device))).ToArray();
    }

    /// <summary>Step size.</summary>
    public double LearningRate { get; set; }

    /// <summary>Momentum μ (0 = plain SGD; the buffer then only mirrors the last gradient).</summary>
    public double Momentum { get; set; }

    /// <summary>Whether the step looks ahead along the momentum (Sutskever/PyTorch form).</summary>
    public bool Nesterov { get; }

    /// <summary>L2 penalty coefficient added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(IReadOnlyList<Tensor?> grads)
    {
        ArgumentNullException.ThrowIfNull(grads);
        for (var i = 0; i < grads.Count; i++)
        {
            if (grads[i] is not { } g) continue;
            var p = Targets[i].Value;
            var b = buffers[i];
            if (WeightDecay != 0) g.AddInPlace(p, WeightDecay); // the gradient is cleared after the step, so reuse it
            b.MulInPlace(Momentum);                               // b = μ·b + g; zero-initialised b makes step 1 b = g, as PyTorch
            b.AddInPlace(g);
            if (Nesterov)
            {
                g.AddInPlace(b, Momentum);
                p.AddInPlace(g, -LearningRate);
            }
            else
            {
                p.AddInPlace(b, -LearningRate);
            }
        }
    }
}
