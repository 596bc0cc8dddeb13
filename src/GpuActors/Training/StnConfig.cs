namespace HyperSwarm.GpuActors.Training;

/// <summary>Self-tuning settings (ALGORITHMS §1.5).</summary>
public sealed record StnConfig
{
    /// <summary>Tune hyperparameters online; off trains the plain network with the fixed <see cref="Initial"/> values.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The tuned hyperparameters by name; null for the model's default set.</summary>
    public IReadOnlyList<string>? Tune { get; init; }

    /// <summary>Starting values by name, overriding the defaults.</summary>
    public IReadOnlyDictionary<string, double> Initial { get; init; } = new Dictionary<string, double>();

    /// <summary>Weight-only steps before the first hyper step.</summary>
    public int WarmupSteps { get; init; } = 200;

    /// <summary>
    /// T_train. Twenty rather than the paper's five: a hyper step costs about half a weight step,
    /// and in a fixed budget the extra weight steps bought more accuracy than the extra tuning
    /// (Fashion-MNIST, DenseNet-BC-16, time-equivalent steps: 84.8 % with 5, 85.8 % with 10; with
    /// 20, 15 CPU minutes gave the same validation curve as 10 epoch for epoch, at half the hyper
    /// steps' share of the budget: docs/accuracy.md).
    /// </summary>
    public int TrainSteps { get; init; } = 20;

    /// <summary>T_val.</summary>
    public int ValSteps { get; init; } = 1;

    /// <summary>
    /// Validation images per hyper step; null for the training batch size. A hyper step's
    /// gradient reaches only λ̃ and s (two numbers per tuned hyperparameter), so a smaller batch
    /// than the weight steps' still points the right way, and the hyper step costs less of the
    /// budget the weights need.
    /// </summary>
    public int? ValBatchSize { get; init; }

    /// <summary>τ.</summary>
    public double EntropyWeight { get; init; } = 1e-3;

    /// <summary>
    /// What the hyper steps minimise: <c>loss</c>, the validation cross-entropy (the STN paper's
    /// objective), or <c>calibrated</c>, the validation cross-entropy at the batch's best
    /// temperature, which regularisation lowers only by improving predictions, not by making
    /// the network less confident.
    /// </summary>
    public string Objective { get; init; } = "loss";

    /// <summary>
    /// Adam's rate for λ̃ and s. At this rate a 15-minute run moves a dropout only from 0.01 to
    /// about 0.011; ten times it (0.03) lets the values move and gained the 2,000-image subset
    /// 0.45 points over three seeds, but took the full set's shift to 0 and cost its validation
    /// 0.5 points, so it is not the default (docs/accuracy.md, "A faster hyper learning rate").
    /// </summary>
    public double HyperLearningRate { get; init; } = 3e-3;

    internal void Validate()
    {
        if (WarmupSteps < 0) throw new ArgumentException($"stn.warmup_steps must be ≥ 0, got {WarmupSteps}.");
        if (TrainSteps < 1 || ValSteps < 1) throw new ArgumentException($"stn.train_steps and stn.val_steps must be ≥ 1, got {TrainSteps} and {ValSteps}.");
        if (ValBatchSize is < 1) throw new ArgumentException($"stn.val_batch_size must be at least 1, got {ValBatchSize}.");
        if (EntropyWeight < 0) throw new ArgumentException($"stn.entropy_weight must be ≥ 0, got {EntropyWeight}.");
        if (Objective is not ("loss" or "calibrated")) throw new ArgumentException($"stn.objective must be loss or calibrated, got '{Objective}'.");
        if (!(HyperLearningRate > 0)) throw new ArgumentException($"stn.hyper_learning_rate must be positive, got {HyperLearningRate}.");
    }
}
