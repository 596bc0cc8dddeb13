namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// PBT's ready criterion: a member may be replaced only once it has trained long enough under
/// its current hyperparameters for its loss to say something about them.
/// </summary>
public static class Readiness
{
    /// <summary>
    /// Ready when the member is running, has reported since its last exchange, exploit or
    /// restore, that report is at least <see cref="PopulationOptions.ReadySteps"/> past the
    /// change, and it arrived within <see cref="PopulationOptions.ReportMaxAge"/> of
    /// <paramref name="now"/> (an old report may come from a stalled worker).
    /// </summary>
    public static bool IsReady(PopulationMember member, DateTimeOffset now, PopulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(options);
        return member.Status == MemberStatus.Running
            && member.ReportedSinceChange
            && member.LastReport is { } report
            && now - report.At <= options.ReportMaxAge
            && report.Step - member.ChangeStep >= options.ReadySteps;
    }
}
