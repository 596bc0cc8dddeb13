namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// The alternating schedule and objective of the STN loop (ALGORITHMS §1.5). Defaults follow
/// the pomonam Fashion-MNIST example (T_train 5, T_val 1, τ = 1e-3) with a short warm-up.
/// </summary>
public sealed record StnOptions
{
    /// <summary>Weight-only steps (with perturbed λ) before the first hyper step.</summary>
    public int WarmupSteps { get; init; } = 200;

    /// <summary>T_train: weight steps per cycle.</summary>
    public int TrainSteps { get; init; } = 5;

    /// <summary>T_val: hyper steps per cycle.</summary>
    public int ValSteps { get; init; } = 1;

    /// <summary>τ, the weight of the entropy bonus −τ·H(σ) in the hyper objective.</summary>
    public double EntropyWeight { get; init; } = 1e-3;

    /// <summary>
    /// Whether the hyper objective is the validation loss at the batch's best temperature
    /// (<see cref="TemperatureFit"/>) instead of the plain validation loss.
    /// </summary>
    public bool CalibratedObjective { get; init; }

    /// <summary>Whether the hyper step also tunes σ (through λ̃ + σε); otherwise it uses λ̃ itself.</summary>
    public bool TuneScales { get; init; } = true;

    /// <summary>Throws one sentence for an impossible schedule.</summary>
    public void Validate()
    {
        if (WarmupSteps < 0) throw new ArgumentException($"warm-up steps must be ≥ 0, got {WarmupSteps}.");
        if (TrainSteps < 1 || ValSteps < 1) throw new ArgumentException($"T_train and T_val must be ≥ 1, got {TrainSteps} and {ValSteps}.");
        if (EntropyWeight < 0) throw new ArgumentException($"the entropy weight must be ≥ 0, got {EntropyWeight}.");
    }
}
