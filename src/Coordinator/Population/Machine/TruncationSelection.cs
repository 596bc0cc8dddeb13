using System.Collections.Immutable;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// Ranking and truncation selection (ALGORITHMS.md §8): members ordered by validation loss, the
/// bottom quantile copies from the top quantile.
/// </summary>
public static class TruncationSelection
{
    /// <summary>
    /// The members that take part in ranking, best first: every member that is not failed and
    /// has a finite report (a diverged member's report is dropped, so it never poisons the
    /// ranking). Ties go to the lower member id, so the order is deterministic.
    /// </summary>
    public static ImmutableArray<PopulationMember> Rank(IEnumerable<PopulationMember> members) =>
    [
        .. members
            .Where(m => m.Status != MemberStatus.Failed && m.LastReport is not null)
            .OrderBy(m => m.LastReport!.ValidationLoss)
            .ThenBy(m => m.Id, StringComparer.Ordinal),
    ];

    /// <summary>
    /// How many members the top and the bottom hold: ⌊n·q⌋, but at least one once two members are
    /// ranked (a small population still exchanges), and never more than half, so the two never overlap.
    /// </summary>
    public static int QuantileCount(int ranked, double quantile)
    {
        if (ranked < 2) return 0;
        var count = (int)Math.Floor(ranked * quantile + 1e-9); // 1e-9: 10 × 0.3 is 2.9999999999999996
        return Math.Clamp(count, 1, ranked / 2);
    }
}
