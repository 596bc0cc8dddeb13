namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// DESIGN.md §5 with real processes on loopback: a coordinator and workers as separate
/// <c>hyperswarm</c> processes train a tiny population to completion, through a worker and a
/// coordinator killed with SIGKILL. Every wait is for a signal (an output line, a store row, an
/// exit) under a generous limit; the event log is read from the store afterwards.
/// </summary>
[Collection("cluster processes")] // one cluster at a time: they share the cores
public sealed class ClusterFaultTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SignalLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Coordinator_and_two_workers_train_the_population_to_completion()
    {
        using var cluster = new ClusterRun(population: 4, totalSteps: 40);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        cluster.StartWorker("w1", slots: 2);
        cluster.StartWorker("w2", slots: 2);

        Assert.True(await coordinator.WaitForExitAsync(RunLimit) == 0, coordinator.Output);
        var events = EventLog.Read(cluster.Database);
        AssertEveryMemberFinishedOnce(events, cluster.Population);
        EventLog.AssertAssignmentsFenced(events);
        Assert.Contains(events, e => e.Kind == "run_completed");
    }

    [Fact]
    public async Task A_worker_killed_mid_run_has_its_members_resumed_on_the_other()
    {
        using var cluster = new ClusterRun(population: 4, totalSteps: 80);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        var victim = cluster.StartWorker("w1", slots: 2, shared: true);
        await coordinator.WaitForLineAsync(l => l.Contains("member_started", StringComparison.Ordinal) && l.Contains(" w1:", StringComparison.Ordinal), SignalLimit, "a member on w1");
        cluster.StartWorker("w2", slots: 4, shared: true); // room for w1's members too

        await WaitForCheckpointAsync(cluster, "w1", coordinator);
        victim.Kill();

        Assert.True(await coordinator.WaitForExitAsync(RunLimit) == 0, coordinator.Output);
        var events = EventLog.Read(cluster.Database);
        AssertEveryMemberFinishedOnce(events, cluster.Population);
        EventLog.AssertAssignmentsFenced(events);
        var lost = Assert.Single(events, e => e.Kind == "worker_lost" && e.WorkerId == "w1");
        // Every member w1 held when it died is assigned again on w2, from its checkpoint.
        var onVictim = HeldBy([.. events.Where(e => e.Sequence < lost.Sequence)], "w1").ToList();
        Assert.NotEmpty(onVictim);
        foreach (var member in onVictim)
        {
            var again = events.FirstOrDefault(e => e.Sequence > lost.Sequence && e.MemberId == member && e.WorkerId == "w2"
                && e.Reason.StartsWith("epoch ", StringComparison.Ordinal) && e.Reason.Contains("resumes from checkpoint step", StringComparison.Ordinal));
            Assert.True(again is not null, $"{member} was not reassigned to w2 after w1 was lost:\n{string.Join('\n', events.Select(e => $"#{e.Sequence} {e.Kind} {e.MemberId} {e.WorkerId} {e.Reason}"))}");
        }
    }

    // A checkpoint, made durable by the coordinator, of a member that `worker` (any, when null)
    // holds: the point after which a kill must lose no more than the steps since.
    private static async Task WaitForCheckpointAsync(ClusterRun cluster, string? worker, ChildProcess coordinator)
    {
        var deadline = DateTime.UtcNow + SignalLimit;
        while (true)
        {
            var checkpointed = EventLog.CheckpointedMembers(cluster.Database);
            var held = worker is null ? checkpointed : HeldBy(EventLog.Read(cluster.Database), worker);
            if (checkpointed.Intersect(held).Any()) return;
            if (coordinator.HasExited) throw new TimeoutException($"the coordinator exited before a checkpoint of {worker ?? "any worker"}:\n{coordinator.Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no checkpoint of {worker ?? "any worker"} within {SignalLimit}:\n{coordinator.Output}");
            await Task.Delay(200); // polling the store: the signal is the row, this is only its period
        }
    }

    // Members whose latest assignment is on `worker`.
    private static IEnumerable<string> HeldBy(IReadOnlyList<LoggedEvent> events, string worker) =>
        events.Where(e => e.MemberId is not null && e.Reason.StartsWith("epoch ", StringComparison.Ordinal))
            .GroupBy(e => e.MemberId!).Where(g => g.Last().WorkerId == worker).Select(g => g.Key);

    private static void AssertEveryMemberFinishedOnce(IReadOnlyList<LoggedEvent> events, int population)
    {
        var created = events.Where(e => e.Kind == "member_created").Select(e => e.MemberId!).ToList();
        Assert.Equal(population, created.Count);
        foreach (var member in created)
        {
            var finished = events.Count(e => e.Kind == "member_finished" && e.MemberId == member);
            Assert.True(finished == 1, $"{member} finished {finished} times:\n{string.Join('\n', events.Select(e => $"#{e.Sequence} {e.Kind} {e.MemberId} {e.WorkerId} {e.Reason}"))}");
        }

        Assert.DoesNotContain(events, e => e.Kind == "member_failed");
    }
}
