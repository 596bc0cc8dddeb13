using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Optim;

/// <summary>
/// Automatic Gradient Descent (ALGORITHMS §2): no learning rate, no schedule of its own
/// (a run with a known end may cool its last stretch through <see cref="Cooling"/>). Each
/// step sums the layers' gradient norms into G, turns G into the step size
/// η = log((1 + √(1 + 4G))/2), and moves every weight (every spatial slice of a conv kernel)
/// by −(gain·η/L)·s·∇/‖∇‖_F. Weights should start from <see cref="AgdInit"/>.
/// Tensors of the other roles follow the rule in <see cref="Update"/>.
/// With <see cref="Momentum"/> β &gt; 0, ∇ is replaced everywhere (G and the direction) by the
/// bias-corrected average m̂ = m/(1 − βᵗ), m ← β·m + (1 − β)·∇ — see <see cref="Update"/> for why.
/// With <see cref="Spectral"/>, ∇/‖∇‖_F becomes the slice's polar factor and ‖∇‖_F in G its
/// nuclear norm: the same majoriser minimised without the paper's stable-rank-1 assumption.
/// </summary>
public sealed class Agd : Optimizer
{
    // Stands in for the reference's nan_to_num (the binding has none): a slice whose gradient
    // is exactly zero is divided by this instead of by 0, so it moves by 0/Tiny = 0 and the
    // step stays finite (ALGORITHMS §2.3, §2.5). Representable in float32.
    private const double Tiny = 1e-30;

    // Per target: s = √(out/in)/√(kh·kw) for weights (ALGORITHMS §2.3, dense = 1×1),
    // √numel for the other roles; precomputed so a step reads no shapes.
    private readonly double[] scales;
    private readonly bool[] isWeight;   // enters G and L
    private readonly bool[] isSliced;   // steps per spatial slice: weights and hyper weights
    private readonly Tensor[]? averages; // m per target when Momentum > 0
    private double cooling = 1;

    /// <summary>
    /// AGD over a module's parameters; <paramref name="gain"/> 1 and <paramref name="momentum"/> 0
    /// are the paper's setting.
    /// </summary>
    public Agd(IEnumerable<(string Name, Parameter Parameter)> parameters, double gain = 1, double momentum = 0, double weightDecay = 0, bool spectral = false)
        : base(Checked(OptimizedTensor.FromParameters(parameters), gain, momentum, weightDecay))
    {
        Gain = gain;
        Spectral = spectral;
        Momentum = momentum;
        WeightDecay = weightDecay;
        if (momentum > 0)
        {
            averages = Targets.Select(t => AddState($"{t.Name}.gradient_average", Torch.Torch.Zeros(t.Value.Shape, t.Value.DType, t.Value.Device))).ToArray();
        }

        scales = new double[Targets.Count];
        isWeight = new bool[Targets.Count];
        isSliced = new bool[Targets.Count];
        for (var i = 0; i < Targets.Count; i++)
        {
            var (name, value, role) = Targets[i];
            var shape = value.Shape;
            isWeight[i] = role == ParameterRole.Weight;
            isSliced[i] = role is ParameterRole.Weight or ParameterRole.HyperWeight;
            scales[i] = isSliced[i] ? WeightScale(name, shape)
                : role == ParameterRole.HyperGate ? Math.Sqrt((double)shape[0] / shape[1])
                : Math.Sqrt(shape.Aggregate(1L, (a, b) => a * b));
        }

        // ALGORITHMS §2.3: L counts weight tensors (every conv incl. 1×1, and the classifier);
        // biases and scalars do not count (as in the agd_exp fork). An STN hyper weight does not
        // count either: it is a branch in parallel with its layer's elementary weight, so the
        // network is no deeper. Counting it halved every step of a self-tuning net (L 16 → 32
        // for DenseNet-BC-16); it still steps by η/L like its layer, but stays out of G too,
        // which keeps a self-tuning net's step size equal to its plain twin's at the start.
        Depth = isWeight.Count(w => w);
    }

    // Validates before the base constructor allocates state, so a refused optimizer leaks nothing.
    private static IReadOnlyList<OptimizedTensor> Checked(IReadOnlyList<OptimizedTensor> targets, double gain, double momentum, double weightDecay)
    {
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "the AGD weight decay must be ≥ 0");
        if (!(gain > 0)) throw new ArgumentOutOfRangeException(nameof(gain), gain, "the AGD gain must be positive");
        if (!(momentum is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "the AGD momentum must be in [0, 1)");
        if (!targets.Any(t => t.Role == ParameterRole.Weight))
        {
            throw new ArgumentException("AGD needs at least one weight matrix or conv kernel", "parameters");
        }

        return targets;
    }

    /// <summary>Multiplier on every step (1 in all of the paper's results).</summary>
    public double Gain { get; }

    /// <summary>
    /// Steepest descent in the spectral norm instead of the paper's Frobenius form: each weight
    /// slice moves along the polar factor of its gradient (<see cref="PolarFactor"/>) and G sums
    /// the dual (nuclear) norms ⟨∇, polar(∇)⟩. See <see cref="Update"/> for why.
    /// </summary>
    public bool Spectral { get; }

    /// <summary>β of the gradient average (0: the paper's plain gradient).</summary>
    public double Momentum { get; }

    /// <summary>
    /// λ of the decoupled weight decay (0: none, the paper's setting): before each step every
    /// weight and hyper weight shrinks by the factor 1 − λ·(gain·η/L)·cooling, i.e. by λ times
    /// the relative size of that step. See <see cref="Update"/> for why.
    /// </summary>
    public double WeightDecay { get; }

    /// <summary>
    /// Multiplier in [0, 1] on every step, 1 unless a run with a known end cools its last
    /// stretch (see <c>optimizer.cooldown</c>); η itself stays automatic.
    /// </summary>
    public double Cooling
    {
        get => cooling;
        set
        {
            if (!(value is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(value), value, "the AGD cooling multiplier must be in [0, 1]");
            cooling = value;
        }
    }

    /// <summary>L: the number of weight tensors.</summary>
    public int Depth { get; }

    /// <summary>The gradient summary G of the latest step.</summary>
    public double LastGradientSummary { get; private set; }

    /// <summary>The automatic step size η of the latest step.</summary>
    public double LastStepSize { get; private set; }

    /// <summary>
    /// s for a weight of <paramref name="shape"/>: √(out/in)/√(kh·kw) for (out, in, kh, kw),
    /// √(out/in) for (out, in). Also the norm <see cref="AgdInit"/> gives each slice.
    /// </summary>
    public static double WeightScale(string name, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length is not (2 or 4))
        {
            throw new ArgumentException($"AGD treats weight '{name}' as a matrix or conv kernel, but its shape is [{string.Join(", ", shape)}]", nameof(shape));
        }

        var slices = shape.Length == 4 ? shape[2] * shape[3] : 1;
        return Math.Sqrt((double)shape[0] / shape[1]) / Math.Sqrt(slices);
    }

    /// <summary>
    /// Non-weight tensors (Bias, MpeluAlpha, MpeluBeta, Scalar, NormAffine) take a
    /// normalised step of the same size as the weights: Δp = −(gain·η/L)·√n·∇p/‖∇p‖_F, so their
    /// RMS entry moves by gain·η/L per step. Why this rule: under AGD's dimensional scaling
    /// (ALGORITHMS §2.1) activations have O(1) entries and a weight step of relative size η/L
    /// moves each pre-activation by about η/L; a bias, an MPELU α/β, a Fixup scalar bias or
    /// multiplier and a norm affine are all O(1) per-unit shifts or gains, so
    /// moving them by η/L per entry keeps every layer inside the same deep-relative-trust
    /// budget. Normalising by the tensor's own gradient (not the owning weight's, as the
    /// agd_exp fork does) needs no notion of an owning layer, so Fixup scalars and MPELU
    /// parameters are covered too, and makes Fixup's lr/10 for scalars (§4.2) unnecessary:
    /// that factor tames SGD steps on gradients summed over a whole feature map, and here the
    /// gradient's size cancels. They do not enter G or L, so a bias-free net steps exactly as
    /// the reference. Shown to train in AgdShowcaseTests (scale task only biases and α/β can solve).
    /// A hyper gate [V; C] (rows, n) is a linear map from the n hyperparameters to per-unit
    /// gains, so it steps like a weight matrix of that shape, s = √(rows/n) and the whole
    /// tensor's Frobenius norm: each gain Σⱼ Vᵢⱼhⱼ then moves by about η/L·‖h‖/√n ≈ η/L. The
    /// per-entry rule would move every Vᵢⱼ by η/L and each gain by ≈ √n·|h|·η/L — with n = 10
    /// hyperparameters fed |λ̃| ≈ 3 that let the per-example hyper path swamp the network
    /// within 50 steps (measured: a self-tuning SmallCnn rose above ln 10 loss instead of
    /// reaching 70 % in 100 steps).
    ///
    /// Momentum: AGD's majorisation is about the expected gradient, and a single minibatch
    /// gradient overstates it once the noise dominates, so plain AGD keeps η (and so the step)
    /// near its noise floor to the end. The average m̂ estimates the expected gradient: while
    /// successive gradients agree ‖m̂‖ ≈ ‖∇‖ and the step is AGD's; once they mostly cancel,
    /// ‖m̂‖ shrinks (to √((1−β)/(1+β))·‖∇‖ for pure noise), G and η fall with it, and the step
    /// anneals by itself when the run stops making progress — what a schedule does by the clock.
    ///
    /// Spectral: the paper's majoriser bounds each layer's step by its spectral norm,
    /// ‖ΔW‖_op ≤ s·η/L, and then assumes the gradient has stable rank 1 (‖∇‖_F ≈ ‖∇‖_op,
    /// ALGORITHMS §2.1) to pick ∇/‖∇‖_F. A conv gradient's stable rank is well above 1, so that
    /// direction uses only a fraction ‖∇‖_op/‖∇‖_F of the step the bound allows. The direction
    /// that minimises the same majoriser without the assumption is the polar factor U·Vᵀ, whose
    /// spectral norm is exactly 1 and whose inner product with ∇ is the nuclear norm ‖∇‖_*;
    /// G = (1/L)·Σ s·‖∇‖_* then replaces the Frobenius sum, and η follows from G by the same formula.
    /// </summary>
    protected override void Update(IReadOnlyList<Tensor?> grads)
    {
        ArgumentNullException.ThrowIfNull(grads);
        grads = Averaged(grads);
        var norms = new Tensor?[grads.Count];
        var directions = new Tensor?[grads.Count]; // spectral: the polar factor per slice
        var sums = new List<Tensor>(Depth);
        var summed = new List<int>(Depth);
        for (var i = 0; i < grads.Count; i++)
        {
            if (grads[i] is not { } g || !isSliced[i]) continue;

            // Spectral: the polar factor, same shape as g. Otherwise (out, in, kh, kw) → (1, 1, kh, kw),
            // or (out, in) → (1, 1): one Frobenius norm per slice.
            if (Spectral) directions[i] = PolarFactor.OfSlices(g);
            else norms[i] = g.Norm(2, [0, 1], keepDim: true);
            if (!isWeight[i]) continue;
            sums.Add(Spectral ? (g * directions[i]!).Sum() : norms[i]!.Sum()); // Σ_slices ‖∇W_slice‖_* or ‖·‖_F
            summed.Add(i);
        }

        LastGradientSummary = LastStepSize = 0;
        if (sums.Count == 0) return; // no weight has a gradient: G = 0, η = 0

        // ALGORITHMS §2.2: G = (1/L)·Σ_k s_k·Σ_slices ‖∇W_slice‖_F (‖·‖_* when spectral), in double on the host.
        var perWeight = Tensor.Stack(sums).To(DType.Float64).ToArray<double>();
        var total = 0.0;
        for (var j = 0; j < summed.Count; j++) total += scales[summed[j]] * perWeight[j];
        // m is biased toward its zero start by (1 − βᵗ); the direction m/‖m‖ is not, G is.
        var correction = averages is null ? 1 : 1 / (1 - Math.Pow(Momentum, StepCount));
        LastGradientSummary = total * correction / Depth;
        LastStepSize = Math.Log((1 + Math.Sqrt(1 + 4 * LastGradientSummary)) / 2);
        var step = Gain * cooling * LastStepSize / Depth;

        // Decoupled decay tied to AGD's own step, as AdamW ties it to the learning rate: it cools
        // with the cooldown and shrinks with η, so it needs no schedule of its own.
        var shrink = 1 - WeightDecay * step;
        for (var i = 0; i < grads.Count; i++)
        {
            if (grads[i] is not { } g) continue;
            if (isSliced[i] && WeightDecay > 0) Targets[i].Value.MulInPlace(shrink);
            if (directions[i] is { } direction)
            {
                Targets[i].Value.AddInPlace(direction, -step * scales[i]);
                continue;
            }

            var norm = norms[i] ?? g.Norm(); // weights: (1, 1, kh, kw) per slice; others: 0-d, whole tensor
            norm.ClampInPlace(min: Tiny);
            Targets[i].Value.AddcdivInPlace(g, norm, -step * scales[i]); // broadcast over (out, in)
        }
    }

    // m ← β·m + (1 − β)·∇ for every tensor with a gradient; returns the averages in its place.
    private IReadOnlyList<Tensor?> Averaged(IReadOnlyList<Tensor?> grads)
    {
        if (averages is null) return grads;
        var result = new Tensor?[grads.Count];
        for (var i = 0; i < grads.Count; i++)
        {
            if (grads[i] is not { } g) continue;
            averages[i].MulInPlace(Momentum);
            averages[i].AddInPlace(g, 1 - Momentum);
            result[i] = averages[i];
        }

        return result;
    }
}
