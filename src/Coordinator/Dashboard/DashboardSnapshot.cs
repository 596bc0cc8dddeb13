namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// What the dashboard shows at one moment, the same shape for a population (<c>run</c>,
/// <c>coordinator</c>) and for a population of one (<c>train</c>): <see cref="Kind"/> says which.
/// <see cref="Status"/> is <c>starting</c>, <c>running</c> or <c>complete</c>.
/// </summary>
public sealed record DashboardSnapshot(
    string Kind,
    string Run,
    string Status,
    long Sequence,
    IReadOnlyList<DashboardMember> Members,
    IReadOnlyList<DashboardWorker> Workers,
    IReadOnlyList<DashboardCopy> Lineage)
{
    /// <summary><see cref="Kind"/> of a coordinator's population.</summary>
    public const string PopulationKind = "population";

    /// <summary><see cref="Kind"/> of <c>hyperswarm train</c>'s single model.</summary>
    public const string TrainKind = "train";

    /// <summary>Shown before the source exists (<c>run</c> measures its speed first).</summary>
    public static DashboardSnapshot Starting(string kind, string run) => new(kind, run, "starting", 0, [], [], []);
}
