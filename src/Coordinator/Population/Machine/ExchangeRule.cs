using System.Globalization;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// The rule that picks, per (weak, strong) pair, between a hyperparameter-only exchange and a
/// weight exploit (docs/population.md):
/// <list type="number">
/// <item>No checkpoint written by the strong member → hyperparameters only (an exploit needs one).</item>
/// <item>Loss gap L_weak − L_strong &gt; <see cref="PopulationOptions.ExploitRelativeGap"/>·|L_strong| → exploit.</item>
/// <item>The weak member was in the bottom for <see cref="PopulationOptions.ExploitAfterBehindRounds"/> ready rounds in a row → exploit.</item>
/// <item>Otherwise → hyperparameters only.</item>
/// </list>
/// Why: an STN's hyperparameters are a best response to its own weights, so when two members
/// are close, handing over λ, σ and the gates is enough and costs no checkpoint transfer. A large
/// gap means the weights themselves are worse, which hyperparameters cannot repair; and a member
/// that hyperparameter exchanges keep failing to lift gets the weights too. The gap is relative
/// to the strong loss so one threshold works at every scale of loss, early and late in training.
/// </summary>
public static class ExchangeRule
{
    /// <summary>The exchange <paramref name="weak"/> makes with <paramref name="strong"/>; both must have a report.</summary>
    public static ExchangeDecision Decide(PopulationMember weak, PopulationMember strong, PopulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(weak);
        ArgumentNullException.ThrowIfNull(strong);
        ArgumentNullException.ThrowIfNull(options);
        var weakLoss = weak.LastReport?.ValidationLoss ?? throw new ArgumentException($"{weak.Id} has no report to rank.");
        var strongLoss = strong.LastReport?.ValidationLoss ?? throw new ArgumentException($"{strong.Id} has no report to rank.");
        var gap = weakLoss - strongLoss;
        var gapText = $"loss {Format(weakLoss)} vs {strong.Id}'s {Format(strongLoss)}: gap {Percent(gap, strongLoss)}";
        var limit = Percent(options.ExploitRelativeGap);
        var rounds = $"{weak.BehindRounds} ready rounds behind (weights at {options.ExploitAfterBehindRounds})";

        if (strong.OwnCheckpoint is null)
        {
            return strong.Hyperparameters.Values.IsEmpty
                ? new ExchangeDecision(null, $"{strong.Id} has neither a checkpoint nor hyperparameters to copy")
                : new ExchangeDecision(ExchangeKind.Hyperparameters, $"{gapText}; {strong.Id} has no checkpoint yet, so hyperparameters only");
        }
        if (gap > options.ExploitRelativeGap * Math.Abs(strongLoss))
            return new ExchangeDecision(ExchangeKind.Exploit, $"{gapText} > {limit}, so weights");
        if (weak.BehindRounds >= options.ExploitAfterBehindRounds)
            return new ExchangeDecision(ExchangeKind.Exploit, $"{gapText} ≤ {limit} but {rounds}, so weights");
        return new ExchangeDecision(ExchangeKind.Hyperparameters, $"{gapText} ≤ {limit}, {rounds}, so hyperparameters only");
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Percent(double gap, double reference) =>
        reference == 0 ? Format(gap) : Percent(gap / Math.Abs(reference));

    private static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
