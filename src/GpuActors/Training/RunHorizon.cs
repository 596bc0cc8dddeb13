namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// The end of a population run as a member's schedules see it: the run's wall-clock budget and
/// the moment it is spent. The member does not stop there (its coordinator stops it); AGD's
/// cooldown and SGD's one cycle follow the run's progress instead of a budget of the member's own.
/// </summary>
/// <param name="Budget">The whole run's budget.</param>
/// <param name="End">When the coordinator ends the run.</param>
public sealed record RunHorizon(TimeSpan Budget, DateTimeOffset End)
{
    /// <summary>How far the run is at <paramref name="now"/>, 0–1.</summary>
    public double Progress(DateTimeOffset now) =>
        Budget <= TimeSpan.Zero ? 1 : Math.Clamp(1 - (End - now) / Budget, 0, 1);
}
