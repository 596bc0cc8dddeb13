namespace HyperSwarm.GpuActors.Training;

/// <summary>The weight optimizer: AGD (default, no learning rate) or a baseline.</summary>
public sealed record OptimizerConfig
{
    /// <summary>Optimizer names <see cref="Kind"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["agd", "adam", "sgd"];

    /// <summary><c>agd</c>, <c>adam</c> or <c>sgd</c> (momentum with a one-cycle schedule).</summary>
    public string Kind { get; init; } = "agd";

    /// <summary>
    /// AGD's gain, a multiplier on every step (1 in all of the paper's results; the paper notes
    /// that more trains faster); null for the model's usual gain (<see cref="DefaultGain"/>).
    /// </summary>
    public double? Gain { get; init; }

    /// <summary>
    /// The gain AGD uses for <paramref name="modelKind"/> when none is given: 2 for DenseNet-BC
    /// with the paper's Frobenius steps, 1 (the paper's) otherwise. Why 2 there: with
    /// <see cref="Cooldown"/> taking the noise of the bigger steps out at the end, zero-config
    /// Fashion-MNIST (DenseNet-BC-16, batch 128, 15 CPU minutes) reached 0.9023 test accuracy
    /// against 0.8977 at gain 1 at the same step count (docs/accuracy.md). A DenseNet-BC counts
    /// L ≥ 16 weight tensors, so each layer still moves by at most 2η/16 of its norm a step; the
    /// small CNN (L = 3–4) takes steps four to five times as large relative to its weights at the
    /// same gain, and at gain 2 a short self-tuning run of it (batch 32) ends at chance
    /// (TrainingRunDirectoryTests), so it keeps the paper's 1. Spectral steps
    /// (<see cref="Spectral"/>) already use the whole of the step the bound allows, which the
    /// Frobenius form used only a fraction of: at gain 2 they trailed gain 1 by 3 points after
    /// 5 CPU minutes (docs/accuracy.md), so they keep gain 1.
    /// </summary>
    public static double DefaultGain(string modelKind, bool spectral) => modelKind == "densenet-bc" && !spectral ? 2 : 1;

    /// <summary>The gain a run of <paramref name="modelKind"/> uses (<see cref="Gain"/> resolved).</summary>
    public double EffectiveGain(string modelKind) => Gain ?? DefaultGain(modelKind, EffectiveSpectral(modelKind));

    /// <summary>
    /// β of AGD's gradient average (0 for the paper's plain gradient): the step then shrinks on
    /// its own once successive gradients stop agreeing. 0.9 by default: on Fashion-MNIST at the
    /// CPU budget's step count it raised self-tuning AGD from 0.881 to 0.892–0.898 test accuracy
    /// (β 0.5: 0.891, 0.95: 0.896–0.899; GPU runs of 2,950 steps, docs/accuracy.md).
    /// The baselines ignore it (SGD's momentum follows its one-cycle schedule).
    /// </summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>
    /// AGD only: the last share of a run with a known end (a budget, epochs or max_steps) over
    /// which every step is scaled down linearly to zero; 0 for none. AGD picks the step size but
    /// cannot know when the run ends, and the live weights keep bouncing at the size of its
    /// noisy steps; cooling the end lets them settle into the basin they are in, which is what
    /// a one-cycle schedule's tail does for SGD (on Fashion-MNIST SGD one-cycle gains about
    /// 2 points over its last third). Nothing to tune: the end is the user's budget. At gain 1
    /// it measured neutral (0.8921 against 0.8935 test accuracy); it is what lets a larger
    /// <see cref="Gain"/> pay off.
    /// </summary>
    public double Cooldown { get; init; } = 0.5;

    /// <summary>Adam's learning rate, or SGD's peak one-cycle rate; null for 1e-3 (Adam) or 0.1 (SGD).</summary>
    public double? LearningRate { get; init; }

    /// <summary>
    /// Evaluate, keep and export an average of the recent weights (about one epoch of steps)
    /// instead of the live ones; null for on with AGD and off with the baselines, which are run
    /// as their users run them.
    /// </summary>
    public bool? AverageWeights { get; init; }

    /// <summary>How far back the weight average reaches, in epochs (its horizon: older weights fade out).</summary>
    public double AverageEpochs { get; init; } = 1;

    /// <summary>Whether the run averages weights (<see cref="AverageWeights"/> resolved).</summary>
    public bool AveragesWeights => AverageWeights ?? Kind == "agd";

    /// <summary>
    /// How hard weights are pulled toward zero; 0 for none. For AGD it is decoupled and tied to
    /// AGD's own step: each step first shrinks every weight by λ times that step's relative size
    /// (gain·η/L). For adam and sgd it is plain L2 added to the gradient, as their users run them.
    /// 0 by default for all three: on zero-config Fashion-MNIST (15 CPU minutes) AGD with λ 0.01
    /// measured neutral (test 0.9046 and 0.8992 against 0.8990–0.9019 without, validation 0.9058
    /// and 0.9046 against 0.9067–0.9092) and λ 0.05 worse (0.8901), docs/accuracy.md.
    /// </summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// AGD only: take each weight step along the polar factor of the gradient (steepest descent
    /// in the spectral norm that AGD's bound is written in) instead of the paper's ∇/‖∇‖_F,
    /// which assumes every gradient has stable rank 1 (see <see cref="Optim.Agd"/>); null for
    /// the model's usual choice (<see cref="DefaultSpectral"/>).
    /// </summary>
    public bool? Spectral { get; init; }

    /// <summary>
    /// Whether AGD steps spectrally on <paramref name="modelKind"/> when nothing is given: yes for
    /// DenseNet-BC, where zero-config Fashion-MNIST reached 0.8938 test accuracy in 5 CPU minutes
    /// against 0.8568 with the Frobenius steps (docs/accuracy.md); the small CNN keeps the paper's
    /// form, which its tests were tuned on.
    /// </summary>
    public static bool DefaultSpectral(string modelKind) => modelKind == "densenet-bc";

    /// <summary>Whether a run of <paramref name="modelKind"/> steps spectrally (<see cref="Spectral"/> resolved).</summary>
    public bool EffectiveSpectral(string modelKind) => Spectral ?? DefaultSpectral(modelKind);

    /// <summary>The learning rate the baseline uses.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Kind == "sgd" ? 0.1 : 1e-3);

    internal void Validate()
    {
        if (!Kinds.Contains(Kind)) throw new ArgumentException($"optimizer.kind must be one of {string.Join(", ", Kinds)}, got '{Kind}'.");
        if (Gain is { } gain && !(gain > 0)) throw new ArgumentException($"optimizer.gain must be positive, got {gain}.");
        if (!(Momentum is >= 0 and < 1)) throw new ArgumentException($"optimizer.momentum must be at least 0 and below 1, got {Momentum}.");
        if (LearningRate is { } lr && !(lr > 0)) throw new ArgumentException($"optimizer.learning_rate must be positive, got {lr}.");
        if (!(Cooldown is >= 0 and < 1)) throw new ArgumentException($"optimizer.cooldown must be at least 0 and below 1, got {Cooldown}.");
        if (!(AverageEpochs > 0)) throw new ArgumentException($"optimizer.average_epochs must be positive, got {AverageEpochs}.");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"optimizer.weight_decay must be ≥ 0, got {WeightDecay}.");
    }
}
