namespace HyperSwarm.Coordinator.Tests.Node;

public sealed class WorkerLossTests
{
    // Akka's own failure detector and split-brain resolver on loopback (1 s heartbeats, 3 s
    // acceptable pause, stable after 3 s): the crashed node is downed some 7 s after it went quiet.
    [Fact]
    public async Task A_crashed_worker_is_downed_by_the_cluster_and_its_member_resumes_on_another_from_its_last_checkpoint()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(2));
        var a = await harness.WorkerAsync("wa", capacity: 1, crashable: true);
        await a.StartOfAsync("m00", epoch: 1);
        await a.ReportAsync("m00", 1, step: 120, validationLoss: 0.3);
        await a.CheckpointAsync("m00", 1, step: 100);
        await a.SyncAsync(harness.Events);
        var b = await harness.WorkerAsync("wb", capacity: 2);
        await b.StartOfAsync("m01", epoch: 1);

        await a.CrashAsync();
        var lost = await harness.Events.WaitForAsync(e => e.Kind == "worker_lost", "worker_lost");
        var resumed = await b.StartOfAsync("m00");

        Assert.Equal("wa", lost.WorkerId);
        Assert.Contains("unreachable", lost.Reason, StringComparison.Ordinal);
        Assert.Equal(2, resumed.Start.Epoch);
        Assert.Equal(("m00", 100L, "/ckpt/m00/100"), (resumed.Start.ResumeFrom.MemberId, resumed.Start.ResumeFrom.Step, resumed.Start.ResumeFrom.Path));
        var population = await harness.PopulationAsync();
        Assert.All(population.Members, m => Assert.Equal("wb", m.WorkerId));
        Assert.Equal(100, population.Members.Single(m => m.MemberId == "m00").Step);
        EventLogChecks.NoMemberOnTwoWorkers(harness.Events.Events.Items);
    }

    [Fact]
    public async Task A_worker_whose_lease_ended_is_told_so_whenever_it_sends_under_it()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1));
        var a = await harness.WorkerAsync("wa", capacity: 1);
        await a.StartOfAsync("m00", epoch: 1);
        await a.DepartAsync();
        var left = await a.SessionEnded;

        // A late report under the lease that ended: refused, and the worker told again.
        await a.OpenSessionAsync(left.LeaseEpoch);
        await a.ReportAsync("m00", 1, step: 50, validationLoss: 0.2);
        var again = await a.SessionEnded;

        Assert.Contains("left", left.Reason, StringComparison.Ordinal);
        Assert.Equal(left.LeaseEpoch, again.LeaseEpoch);
        Assert.Equal(0, (await harness.PopulationAsync()).Members.Single().Step);
        await harness.Events.WaitForAsync(e => e.Kind == "worker_lost" && e.WorkerId == "wa" && e.Reason.Contains("left after draining", StringComparison.Ordinal), "wa lost after leaving");
    }
}
