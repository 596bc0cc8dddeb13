using HyperSwarm.Coordinator.Dashboard;

namespace HyperSwarm.Coordinator.Tests.Dashboard;

public sealed class DashboardHistoryTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static DashboardSnapshot At_step(long step, double? loss = 1.0) => new("train", "r", "running", 0,
        [new DashboardMember("m00", "running", "w", step, loss, null, null, null, null, new Dictionary<string, double>())], [], []);

    [Fact]
    public void A_point_is_added_only_when_a_members_step_moves()
    {
        var history = new DashboardHistory();

        history.Record(At_step(0, loss: null), At);
        history.Record(At_step(10), At);
        history.Record(At_step(10), At);
        history.Record(At_step(20), At);

        Assert.Equal([10L, 20L], history.Copy()["m00"].Select(p => p.Step));
    }

    [Fact]
    public void A_long_run_keeps_every_other_point_and_always_the_newest()
    {
        var history = new DashboardHistory(maxPointsPerMember: 8);

        for (var step = 1; step <= 9; step++) history.Record(At_step(step), At);

        var steps = history.Copy()["m00"].Select(p => p.Step).ToList();
        Assert.Equal([1L, 3L, 5L, 7L, 9L], steps);
    }
}
