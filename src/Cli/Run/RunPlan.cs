using System.Globalization;
using HyperSwarm.Cli.Config;

namespace HyperSwarm.Cli.Run;

/// <summary>
/// How an embedded run shares its budget and its cores (docs/cli.md, "hyperswarm run"):
/// <list type="bullet">
/// <item>Workers × slots: <see cref="Workers"/> workers of ⌈population ÷ workers⌉ slots each, so
/// every member trains at once (PBT compares members that train side by side).</item>
/// <item>Threads: the cores shared among the members, at least 1 each.</item>
/// <item>Time: the budget, less the start-up already spent and a reserve for scoring the best
/// member, is each member's training time (<see cref="MemberBudget"/>).</item>
/// <item>Steps: <see cref="TotalSteps"/> = the measured steps/s of one member on its threads,
/// scaled by the cores each member really gets, times <see cref="MemberBudget"/>. The
/// coordinator finishes a member at that step; the member's own budget (10 % longer) only
/// stops it when the estimate was too high, so members finish near the budget either way.</item>
/// <item>Selection: a member may be replaced after a sixth of its steps (<see cref="ReadySteps"/>),
/// and the population is ranked about 30 times in a run (2–10 s apart).</item>
/// </list>
/// </summary>
internal sealed record RunPlan(
    int Population,
    int Workers,
    int SlotsPerWorker,
    int ThreadsPerMember,
    TimeSpan MemberBudget,
    long TotalSteps,
    long ReadySteps,
    TimeSpan SelectionInterval,
    double StepsPerSecond)
{
    /// <summary>Held back from the budget for evaluating and exporting the best member at the end.</summary>
    public static readonly TimeSpan ScoringReserve = TimeSpan.FromSeconds(15);

    /// <summary>The plan for <paramref name="population"/> members on <paramref name="workers"/> local workers.</summary>
    /// <param name="population">Members.</param>
    /// <param name="workers">Local workers (at most one per member).</param>
    /// <param name="cores">Cores of this machine.</param>
    /// <param name="budget">The whole run's wall-clock budget.</param>
    /// <param name="spent">Already spent on start-up (loading, measuring).</param>
    /// <param name="singleMemberRate">Weight steps/s one member reached alone on <see cref="ThreadsFor"/> threads.</param>
    public static RunPlan Derive(int population, int workers, int cores, TimeSpan budget, TimeSpan spent, double singleMemberRate)
    {
        if (population < 1) throw new UserError($"--population must be at least 1, got {population}.");
        if (workers < 1) throw new UserError($"--workers must be at least 1, got {workers}.");
        workers = Math.Min(workers, population);
        var slots = (population + workers - 1) / workers;
        var threads = ThreadsFor(population, cores);
        var memberBudget = budget - spent - ScoringReserve;
        if (memberBudget < TimeSpan.FromSeconds(10))
        {
            throw new UserError($"--budget {DurationText.Format(budget)} leaves no time to train after start-up ({spent.TotalSeconds:F0} s) and scoring ({ScoringReserve.TotalSeconds:F0} s); give at least {DurationText.Format(spent + ScoringReserve + TimeSpan.FromSeconds(30))}.");
        }

        // Members beyond the cores share them: each gets cores ÷ members of a core's time.
        var share = Math.Min(1.0, (double)cores / (population * threads));
        var perMember = singleMemberRate * share;
        // 0.8: validation passes and exchanges cost time the probe did not see.
        var total = Math.Max(40, (long)(0.8 * perMember * memberBudget.TotalSeconds));
        var ready = Math.Max(20, total / 6);
        var selection = TimeSpan.FromSeconds(Math.Clamp(memberBudget.TotalSeconds / 30, 2, 10));
        return new RunPlan(population, workers, slots, threads, memberBudget, total, ready, selection, perMember);
    }

    /// <summary>libtorch threads per member: the cores shared among the members, at least 1.</summary>
    public static int ThreadsFor(int population, int cores) => Math.Max(1, cores / Math.Max(1, population));

    /// <summary>One line for the start of the run.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Population} members on {Workers} local workers × {SlotsPerWorker} slots, {ThreadsPerMember} thread(s) each; ~{StepsPerSecond:F1} steps/s per member → {TotalSteps} steps in {DurationText.Format(MemberBudget)}, selection every {DurationText.Format(SelectionInterval)} after {ReadySteps} steps");
}
