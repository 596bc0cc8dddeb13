using HyperSwarm.Coordinator.Tests.Store.Support;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// DESIGN.md §5 with real processes: a coordinator and workers as separate <c>hyperswarm</c>
/// processes train a tiny population to completion, through a worker and a coordinator killed
/// with SIGKILL (the coordinator on SQLite and on a real PostgreSQL server), a worker cut off by
/// a network-namespace partition, a truncated checkpoint and a member forced to NaN. Every
/// wait is for a signal (an output line, a store row, an exit) under a generous limit; the event
/// log is read from the store afterwards.
/// </summary>
[Collection("cluster processes")] // one cluster at a time: they share the cores
public sealed class ClusterFaultTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SignalLimit = TimeSpan.FromSeconds(90);

    // Long enough that the members, moved to w2, still train when w1 comes back.
    private const long PartitionSteps = 400;

    [Fact]
    public async Task Coordinator_and_two_workers_train_the_population_to_completion()
    {
        using var cluster = new ClusterRun(population: 4, totalSteps: 40);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        var workers = new[] { cluster.StartWorker("w1", slots: 2), cluster.StartWorker("w2", slots: 2) };

        var events = await CompletedRunAsync(cluster, coordinator);
        Assert.Contains(events, e => e.Kind == "run_completed");
        // The coordinator exits as soon as the run completes; its drained workers still get their
        // last notices out and leave cleanly instead of finding the connection gone.
        foreach (var worker in workers)
        {
            Assert.True(await worker.WaitForExitAsync(SignalLimit) == 0, cluster.Outputs);
            Assert.Contains("drained by the coordinator", worker.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_coordinator_ends_the_run_at_the_configs_budget_and_every_member_counts_as_finished()
    {
        // As the shipped configs have it: a wall-clock budget reached long before the population's
        // steps. The coordinator keeps the clock: at the budget it stops every member (each with a
        // checkpoint) and they count as finished; no member stops, fails or restarts by itself.
        using var cluster = new ClusterRun(population: 2, totalSteps: 100_000, memberBudget: "15s");
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        cluster.StartWorker("w1", slots: 2, shared: true);

        var events = await CompletedRunAsync(cluster, coordinator);
        var finished = events.Where(e => e.Kind == "member_finished").ToList();
        Assert.Equal(2, finished.Count);
        Assert.All(finished, e => Assert.Contains("the run's budget of 15 s is spent", e.Reason, StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Kind is "member_restarted" or "member_failed");
        // They trained up to the end: each reported a validation before it was stopped.
        Assert.All(finished, e => Assert.Contains("validation loss", e.Reason, StringComparison.Ordinal));
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

        var events = await CompletedRunAsync(cluster, coordinator);
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

    [Fact]
    public async Task A_coordinator_killed_mid_run_and_restarted_on_its_store_finishes_the_run()
    {
        using var cluster = new ClusterRun(population: 4, totalSteps: 80);
        await KillAndRestartCoordinatorMidRunAsync(cluster);
    }

    [Fact]
    public async Task On_a_PostgreSQL_store_a_coordinator_killed_mid_run_and_restarted_finishes_the_run()
    {
        var server = new PostgresServer();
        try
        {
            await server.InitializeAsync();
            using var cluster = new ClusterRun(population: 4, totalSteps: 80, postgres: await server.RentDatabaseAsync());
            await KillAndRestartCoordinatorMidRunAsync(cluster);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    // The workers keep training while the coordinator is away, rejoin by themselves, and the
    // members they still run are assigned afresh: each old run gives way to its new epoch.
    private static async Task KillAndRestartCoordinatorMidRunAsync(ClusterRun cluster)
    {
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        cluster.StartWorker("w1", slots: 2, shared: true);
        cluster.StartWorker("w2", slots: 2, shared: true);

        await WaitForCheckpointAsync(cluster, null, coordinator);
        coordinator.Kill();
        var restarted = cluster.StartCoordinator();

        var events = await CompletedRunAsync(cluster, restarted);
        Assert.Contains(events, e => e.Kind == "run_completed");
    }

    [Fact]
    public async Task A_partitioned_worker_is_declared_lost_its_members_move_and_when_it_returns_it_is_fenced()
    {
        using var network = NetworkPartition.Create();
        using var cluster = new ClusterRun(population: 2, totalSteps: PartitionSteps, host: network.HostAddress);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        // Cluster nodes talk both ways: each binds Akka.Remote where the others reach it.
        cluster.StartWorker("w1", slots: 2, shared: true, netns: network.Namespace, clusterHost: network.NamespaceAddress);
        await coordinator.WaitForLineAsync(l => l.Contains("member_started", StringComparison.Ordinal) && l.Contains(" w1:", StringComparison.Ordinal), SignalLimit, "a member on w1");
        cluster.StartWorker("w2", slots: 2, shared: true, clusterHost: network.HostAddress);
        await WaitForCheckpointAsync(cluster, "w1", coordinator);

        network.Cut();
        await coordinator.WaitForLineAsync(l => l.Contains("worker_lost", StringComparison.Ordinal) && l.Contains(" w1:", StringComparison.Ordinal), RunLimit, "w1 declared lost");
        network.Heal();
        // Back, w1 still speaks for the members it held: under their old epochs, so refused.
        await coordinator.WaitForLineAsync(l => l.Contains(" w1:", StringComparison.Ordinal)
            && (l.Contains("report_refused", StringComparison.Ordinal) || l.Contains("checkpoint_refused", StringComparison.Ordinal)), RunLimit, "a stale message of w1 refused");

        var events = await CompletedRunAsync(cluster, coordinator);
        var lost = events.First(e => e.Kind == "worker_lost" && e.WorkerId == "w1");
        var held = HeldBy([.. events.Where(e => e.Sequence < lost.Sequence)], "w1").ToList();
        Assert.NotEmpty(held);
        Assert.All(held, member => Assert.Contains(events, e => e.Sequence > lost.Sequence && e.MemberId == member && e.WorkerId == "w2"
            && e.Reason.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.Contains(events, e => e.Sequence > lost.Sequence && e.WorkerId == "w1" && e.Kind is "report_refused" or "checkpoint_refused");
    }

    [Fact]
    public async Task A_worker_frozen_for_20_s_is_downed_its_members_move_and_nothing_it_sends_under_its_old_lease_counts()
    {
        using var cluster = new ClusterRun(population: 2, totalSteps: PartitionSteps);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        var frozen = cluster.StartWorker("w1", slots: 2, shared: true);
        await coordinator.WaitForLineAsync(l => l.Contains("member_started", StringComparison.Ordinal) && l.Contains(" w1:", StringComparison.Ordinal), SignalLimit, "a member on w1");
        // One slot: w1's members take turns on w2, so the run still trains when w1 thaws and joins
        // again (with two, w2 could finish both before the thawed worker is back).
        cluster.StartWorker("w2", slots: 1, shared: true);
        await WaitForCheckpointAsync(cluster, "w1", coordinator);

        // SIGSTOP: the process keeps its sockets and its state, and says nothing for 20 s; then it
        // carries on as if nothing happened, training and sending under the lease it had.
        Signal(frozen, "STOP");
        var stoppedAt = DateTime.UtcNow;
        await coordinator.WaitForLineAsync(l => l.Contains("worker_lost", StringComparison.Ordinal) && l.Contains(" w1:", StringComparison.Ordinal), RunLimit, "w1 declared lost");
        var downedAfter = DateTime.UtcNow - stoppedAt;
        var thaw = TimeSpan.FromSeconds(20) - downedAfter;
        if (thaw > TimeSpan.Zero) await Task.Delay(thaw); // the freeze itself is the fault under test, not a wait for a signal
        Signal(frozen, "CONT");
        await coordinator.WaitForLineAsync(l => l.Contains("worker_joined", StringComparison.Ordinal) && l.Contains(" w1:", StringComparison.Ordinal), RunLimit, "w1 joined again");

        var events = await CompletedRunAsync(cluster, coordinator);
        var lost = events.First(e => e.Kind == "worker_lost" && e.WorkerId == "w1");
        var held = HeldBy([.. events.Where(e => e.Sequence < lost.Sequence)], "w1").ToList();
        Assert.NotEmpty(held);
        Assert.True(downedAfter < TimeSpan.FromSeconds(20), $"w1 was declared lost {downedAfter.TotalSeconds:F1} s after it froze, not while frozen");
        // Each member it held was assigned again under a new epoch: on w2, or on w1 once it was back as a new lease.
        Assert.All(held, member => Assert.Contains(events, e => e.Sequence > lost.Sequence && e.MemberId == member && e.WorkerId is "w1" or "w2"
            && e.Kind is "member_started" or "member_moved" && e.Reason.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.Contains(events, e => e.Sequence > lost.Sequence && e.WorkerId == "w2" && e.Kind == "member_started");
        // Thawed, w1 came back only as a new lease (it joined again), and nothing of its old one
        // counted: a member it had held finishes on w1 only after a new assignment there (a start
        // from pending, or a move from the full w2 to the rejoined w1 at a checkpoint).
        Assert.Contains(events, e => e.Sequence > lost.Sequence && e.WorkerId == "w1" && e.Kind is "worker_joined" or "worker_rejoined");
        foreach (var finished in events.Where(e => e.Sequence > lost.Sequence && e.Kind == "member_finished" && e.WorkerId == "w1" && held.Contains(e.MemberId!)))
        {
            Assert.Contains(events, s => s.Sequence > lost.Sequence && s.Sequence < finished.Sequence && s.Kind is "member_started" or "member_moved"
                && s.MemberId == finished.MemberId && s.WorkerId == "w1" && s.Reason.StartsWith("epoch ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_killed_worker_restarted_on_the_same_address_rejoins_and_the_run_completes()
    {
        using var cluster = new ClusterRun(population: 2, totalSteps: 80);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        var port = cluster.FreePort();
        var first = cluster.StartWorker("w1", slots: 2, shared: true, clusterPort: port);
        await WaitForCheckpointAsync(cluster, "w1", coordinator);

        first.Kill();
        // At once, before the failure detector has noticed: Akka meets a new incarnation of a
        // member it still has, and the coordinator a join of a worker whose lease is live.
        cluster.StartWorker("w1", slots: 2, shared: true, clusterPort: port);

        var events = await CompletedRunAsync(cluster, coordinator);
        // The restarted w1 is the same worker joining again (its old lease superseded), or, when
        // Akka removed the old incarnation first, a join after its loss.
        var firstJoin = events.First(e => e.Kind == "worker_joined" && e.WorkerId == "w1");
        var rejoined = events.First(e => e.WorkerId == "w1" && e.Sequence > firstJoin.Sequence && e.Kind is "worker_rejoined" or "worker_joined");
        Assert.All(events.Where(e => e.Kind == "member_created").Select(e => e.MemberId!), member =>
            Assert.Contains(events, e => e.Sequence > rejoined.Sequence && e.MemberId == member && e.WorkerId == "w1" && e.Kind == "member_started"));
    }

    private static void Signal(ChildProcess process, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    [Fact]
    public async Task A_member_forced_to_NaN_is_restored_from_its_last_good_checkpoint_re_explored_and_finishes()
    {
        using var cluster = new ClusterRun(population: 2, totalSteps: 80);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        cluster.StartWorker("w1", slots: 2, shared: true, failpoints: "nan:m01@30");

        var events = await CompletedRunAsync(cluster, coordinator);
        var diverged = Assert.Single(events, e => e.Kind == "member_diverged");
        Assert.Equal("m01", diverged.MemberId);
        var restored = Assert.Single(events, e => e.Kind == "member_restored");
        Assert.Equal("m01", restored.MemberId);
        Assert.True(restored.Sequence > diverged.Sequence);
        Assert.Contains("hyperparameters re-explored", restored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_checkpoint_is_detected_and_its_member_resumes_from_the_one_before()
    {
        // No selection (ready after the last step): each member's resume point is its own newest checkpoint.
        using var cluster = new ClusterRun(population: 2, totalSteps: 80, readySteps: 1_000);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        var victim = cluster.StartWorker("w1", slots: 2, shared: true);
        var member = await WaitForSecondCheckpointAsync(cluster, coordinator);
        victim.Kill();
        await coordinator.WaitForLineAsync(l => l.Contains("worker_lost", StringComparison.Ordinal), RunLimit, "w1 declared lost");

        // Nothing of w1's counts any more: cut its member's resume point short on the shared disk.
        var path = EventLog.Checkpoints(cluster).Where(c => c.MemberId == member).MaxBy(c => c.Step).Path;
        using (var file = File.OpenWrite(path)) file.SetLength(file.Length / 2);
        var rescuer = cluster.StartWorker("w2", slots: 2, shared: true);

        await rescuer.WaitForLineAsync(l => l.Contains($"Member {member} trains from weight step", StringComparison.Ordinal)
            && l.Contains("newest valid checkpoint", StringComparison.Ordinal) && l.Contains(Path.GetFileName(path), StringComparison.Ordinal),
            RunLimit, $"{member} resuming from the checkpoint before {Path.GetFileName(path)}");
        var events = await CompletedRunAsync(cluster, coordinator);
    }

    // A member with two checkpoints the coordinator registered: one a resume will ask for, with
    // an older one beside it to fall back to.
    private static async Task<string> WaitForSecondCheckpointAsync(ClusterRun cluster, ChildProcess coordinator)
    {
        var deadline = DateTime.UtcNow + SignalLimit;
        while (true)
        {
            if (EventLog.Checkpoints(cluster).GroupBy(c => c.MemberId).FirstOrDefault(g => g.Count() >= 2) is { } twice) return twice.Key;
            if (coordinator.HasExited) throw new TimeoutException($"the coordinator exited before a second checkpoint:\n{coordinator.Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no member had two checkpoints within {SignalLimit}:\n{coordinator.Output}");
            await Task.Delay(200); // polling the store: the signal is the row, this is only its period
        }
    }

    // A checkpoint, made durable by the coordinator, of a member that `worker` (any, when null)
    // holds: the point after which a kill must lose no more than the steps since.
    private static async Task WaitForCheckpointAsync(ClusterRun cluster, string? worker, ChildProcess coordinator)
    {
        var deadline = DateTime.UtcNow + SignalLimit;
        while (true)
        {
            var checkpointed = EventLog.CheckpointedMembers(cluster);
            var held = worker is null ? checkpointed : HeldBy(EventLog.Read(cluster), worker);
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

    // The run completed (the coordinator exited 0) with every member finished exactly once and
    // every assignment fenced; its event log, for the test's own checks.
    private static async Task<IReadOnlyList<LoggedEvent>> CompletedRunAsync(ClusterRun cluster, ChildProcess coordinator)
    {
        await AssertRunCompletesAsync(cluster, coordinator);
        var events = EventLog.Read(cluster);
        AssertEveryMemberFinishedOnce(events, cluster.Population);
        EventLog.AssertAssignmentsFenced(events);
        return events;
    }

    // The coordinator exits 0 once the run completes; otherwise every process's output says why.
    private static async Task AssertRunCompletesAsync(ClusterRun cluster, ChildProcess coordinator)
    {
        int code;
        try
        {
            code = await coordinator.WaitForExitAsync(RunLimit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the run did not complete within {RunLimit}:\n{cluster.Outputs}");
        }

        Assert.True(code == 0, cluster.Outputs);
    }

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
