namespace HyperSwarm.GpuActors.Optim;

/// <summary>
/// The one-cycle policy with PyTorch <c>OneCycleLR</c>'s two-phase semantics (ALGORITHMS §7):
/// over the first <see cref="PctStart"/> of <see cref="TotalSteps"/> the learning rate rises
/// from max/<see cref="DivFactor"/> to <see cref="MaxLearningRate"/> while the momentum falls
/// from <see cref="MaxMomentum"/> to <see cref="BaseMomentum"/>; then the rate falls to
/// max/(div·<see cref="FinalDivFactor"/>) and the momentum returns, both along half cosines.
/// Step k (0-based batch index) gets <c>LearningRate(k)</c>; call <see cref="Apply(Sgd, long)"/>
/// before every batch.
/// </summary>
public sealed record OneCycleSchedule(double MaxLearningRate, long TotalSteps)
{
    /// <summary>Fraction of the steps spent increasing the learning rate.</summary>
    public double PctStart { get; init; } = 0.3;

    /// <summary>Initial rate = max / DivFactor.</summary>
    public double DivFactor { get; init; } = 25;

    /// <summary>Final rate = initial / FinalDivFactor.</summary>
    public double FinalDivFactor { get; init; } = 1e4;

    /// <summary>Momentum at the peak learning rate.</summary>
    public double BaseMomentum { get; init; } = 0.85;

    /// <summary>Momentum at the start and the end.</summary>
    public double MaxMomentum { get; init; } = 0.95;

    /// <summary>The learning rate for 0-based step <paramref name="step"/>.</summary>
    public double LearningRate(long step)
    {
        var initial = MaxLearningRate / DivFactor;
        var (phase, pct) = Locate(step);
        return phase == 0 ? Cosine(initial, MaxLearningRate, pct) : Cosine(MaxLearningRate, initial / FinalDivFactor, pct);
    }

    /// <summary>The momentum (or Adam β1) for 0-based step <paramref name="step"/>.</summary>
    public double Momentum(long step)
    {
        var (phase, pct) = Locate(step);
        return phase == 0 ? Cosine(MaxMomentum, BaseMomentum, pct) : Cosine(BaseMomentum, MaxMomentum, pct);
    }

    /// <summary>Sets <paramref name="sgd"/>'s rate and momentum for step <paramref name="step"/>.</summary>
    public void Apply(Sgd sgd, long step)
    {
        ArgumentNullException.ThrowIfNull(sgd);
        sgd.LearningRate = LearningRate(step);
        sgd.Momentum = Momentum(step);
    }

    /// <summary>Sets <paramref name="adam"/>'s rate and β1 for step <paramref name="step"/>.</summary>
    public void Apply(Adam adam, long step)
    {
        ArgumentNullException.ThrowIfNull(adam);
        adam.LearningRate = LearningRate(step);
        adam.Beta1 = Momentum(step);
    }

    // Phase boundaries sit at step pct_start·total − 1 and total − 1 (the last step reaches the
    // final rate exactly); pct is the position inside the phase, in [0, 1].
    private (int Phase, double Pct) Locate(long step)
    {
        if (step < 0 || step >= TotalSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"a one-cycle schedule of {TotalSteps} steps has steps 0 to {TotalSteps - 1}");
        }

        var warmEnd = PctStart * TotalSteps - 1;
        return step <= warmEnd
            ? (0, step / warmEnd)
            : (1, (step - warmEnd) / (TotalSteps - 1 - warmEnd));
    }

    // From start (pct 0) to end (pct 1) along a half cosine.
    private static double Cosine(double start, double end, double pct) => end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1);
}
