using HyperSwarm.Protocol.Hyperparameters;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// The tuned hyperparameters of one member (ALGORITHMS §1.3): unconstrained values λ̃ (n) and
/// raw scales s (n) with σ = softplus(s), both trainable by the hyper optimizer. Maps batches of
/// λ̃ to legal values, draws per-example perturbations, and gives the entropy H(σ) used in the
/// validation objective. Adding a hyperparameter is one <see cref="HyperparameterSpec"/>.
/// </summary>
public sealed class HyperparameterSpace : IDisposable
{
    private const double HalfLog2PiE = 1.4189385332046727; // ½·log(2πe)

    private readonly HyperparameterSpec[] specs;
    private readonly Tensor lower;        // (n)
    private readonly Tensor span;         // (n): b − a (bounded), b + 1 − a (discrete), unused for positive
    private readonly Tensor isBounded;    // (n) bool
    private readonly Tensor isDiscrete;   // (n) bool
    private readonly Tensor isLowerBounded;   // (n) bool
    private readonly Tensor perExample;   // (n) bool
    private readonly Tensor upper;        // (n): clamp for discrete values

    /// <summary>Creates the space at each spec's initial value and σ₀.</summary>
    public HyperparameterSpace(IEnumerable<HyperparameterSpec> hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        specs = hyperparameters.ToArray();
        if (specs.Length == 0) throw new ArgumentException("an STN needs at least one hyperparameter.");
        foreach (var s in specs) s.Validate();
        var duplicate = specs.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"hyperparameter {duplicate.Key} is declared twice.");

        Unconstrained = Tensor.FromArray(specs.Select(s => (float)s.Unconstrain(s.Initial)).ToArray()).Escape();
        Unconstrained.RequiresGrad = true;
        ScaleRaw = Tensor.FromArray(specs.Select(s => (float)HyperparameterTransform.InverseSoftplus(s.InitialSigma)).ToArray()).Escape();
        ScaleRaw.RequiresGrad = true;

        lower = Column(s => s.Lower);
        span = Column(s => s.Kind switch
        {
            HyperparameterKind.Bounded => s.Upper - s.Lower,
            HyperparameterKind.Discrete => s.Upper + 1 - s.Lower,
            _ => 0,
        });
        upper = Column(s => s.Kind == HyperparameterKind.LowerBounded ? 0 : s.Upper);
        isBounded = Mask(s => s.Kind == HyperparameterKind.Bounded);
        isDiscrete = Mask(s => s.Kind == HyperparameterKind.Discrete);
        isLowerBounded = Mask(s => s.Kind == HyperparameterKind.LowerBounded);
        perExample = Mask(s => s.PerExample);
    }

    /// <summary>The hyperparameters, in column order.</summary>
    public IReadOnlyList<HyperparameterSpec> Specs => specs;

    /// <summary>Number of hyperparameters n.</summary>
    public int Count => specs.Length;

    /// <summary>λ̃ (n), requires grad.</summary>
    public Tensor Unconstrained { get; }

    /// <summary>s (n) with σ = softplus(s), requires grad.</summary>
    public Tensor ScaleRaw { get; }

    /// <summary>Where λ̃, s and the column constants live (the model's device).</summary>
    public Device Device => Unconstrained.Device;

    /// <summary>
    /// Moves every tensor, in place, to <paramref name="device"/> (as <see cref="Models.Module.MoveTo"/>
    /// does for a model); build the hyper optimizer after the move.
    /// </summary>
    public void MoveTo(Device device)
    {
        foreach (var t in AllTensors()) t.MoveDataTo(device);
    }

    /// <summary>The column of <paramref name="name"/>.</summary>
    public int IndexOf(string name)
    {
        var i = FindIndex(name);
        return i >= 0 ? i : throw new KeyNotFoundException($"no hyperparameter named {name}.");
    }

    /// <summary>The column of <paramref name="name"/>, or −1 when the space does not tune it.</summary>
    public int FindIndex(string name) => Array.FindIndex(specs, s => s.Name == name);

    /// <summary>σ = softplus(s) (n), differentiable.</summary>
    public Tensor Sigma() => Functional.Softplus(ScaleRaw);

    /// <summary>
    /// λ̃ + σ⊙ε for a batch (B, n), differentiable in λ̃ and s. Per-example hyperparameters draw
    /// ε per row; the others share one draw across the batch.
    /// </summary>
    public Tensor Sample(long batch)
    {
        using var scope = TensorScope.Begin();
        // Drawn from the CPU generator on every device: the same seed perturbs the same way on
        // a GPU, and B·n numbers cost nothing to copy.
        var rows = Torch.Torch.Randn([batch, Count]).To(Device);                 // (B, n)
        var shared = Torch.Torch.Randn([1, Count]).To(Device).Expand(batch, Count); // (B, n), one draw
        var eps = Tensor.Where(perExample.Unsqueeze(0), rows, shared);
        return scope.Keep(Unconstrained.Unsqueeze(0) + Sigma().Unsqueeze(0) * eps);
    }

    /// <summary>λ̃ unperturbed, repeated for a batch (B, n): evaluation and test.</summary>
    public Tensor Center(long batch)
    {
        using var scope = TensorScope.Begin();
        return scope.Keep(Unconstrained.Unsqueeze(0).Expand(batch, Count));
    }

    /// <summary>Legal values for unconstrained values (…, n); discrete columns are floored (no gradient through them).</summary>
    public Tensor Constrain(Tensor unconstrained)
    {
        ArgumentNullException.ThrowIfNull(unconstrained);
        using var scope = TensorScope.Begin();
        var sig = unconstrained.Sigmoid();
        var bounded = lower + span * sig;                                         // (…, n)
        var discrete = (lower + span * sig).Floor().Minimum(upper);
        var positive = lower + Functional.Softplus(unconstrained);
        var value = Tensor.Where(isBounded, bounded, Tensor.Where(isDiscrete, discrete, positive));
        return scope.Keep(value);
    }

    /// <summary>H(σ) = Σᵢ log(σᵢ·√(2πe)) of the diagonal Gaussian perturbation (§1.3).</summary>
    public Tensor Entropy()
    {
        using var scope = TensorScope.Begin();
        return scope.Keep(Sigma().Log().Sum() + Count * HalfLog2PiE);
    }

    /// <summary>Current constrained values, by name (host copy).</summary>
    public IReadOnlyDictionary<string, double> Values()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = NoGrad.Enter();
        var v = Constrain(Unconstrained).ToArray<float>();
        return specs.Select((s, i) => (s.Name, (double)v[i])).ToDictionary(p => p.Name, p => p.Item2);
    }

    /// <summary>Current σ, by name (host copy).</summary>
    public IReadOnlyDictionary<string, double> Sigmas()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = NoGrad.Enter();
        var v = Sigma().ToArray<float>();
        return specs.Select((s, i) => (s.Name, (double)v[i])).ToDictionary(p => p.Name, p => p.Item2);
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in AllTensors()) t.Dispose();
    }

    private Tensor[] AllTensors() => [Unconstrained, ScaleRaw, lower, span, upper, isBounded, isDiscrete, isLowerBounded, perExample];

    private Tensor Column(Func<HyperparameterSpec, double> pick) =>
        Tensor.FromArray(specs.Select(s => (float)pick(s)).ToArray()).Escape();

    private Tensor Mask(Func<HyperparameterSpec, bool> pick) =>
        Tensor.FromArray(specs.Select(pick).ToArray()).Escape();
}
