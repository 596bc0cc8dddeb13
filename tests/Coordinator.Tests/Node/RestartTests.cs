using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;

namespace HyperSwarm.Coordinator.Tests.Node;

public sealed class RestartTests
{
    [Fact]
    public async Task A_restarted_coordinator_carries_the_population_on_and_the_run_completes()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(2, readySteps: 100, totalSteps: 300));
        var before = await harness.WorkerAsync("w1", capacity: 2);
        await before.StartOfAsync("m01");
        await before.ReportAsync("m00", 1, step: 100, validationLoss: 0.1);
        await before.CheckpointAsync("m00", 1, step: 100);
        await before.ReportAsync("m01", 1, step: 120, validationLoss: 1.0);
        await before.SyncAsync(harness.Events);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await before.WaitForAsync(c => c.Exploit is not null, "the exploit of m01");

        await harness.RestartAsync();
        var session = await before.SessionEnded;
        var restored = await harness.PopulationAsync();
        var after = await harness.WorkerAsync("w1", capacity: 2);
        var m00 = await after.StartOfAsync("m00", epoch: 2);
        var m01 = await after.StartOfAsync("m01", epoch: 2);

        // The stopping coordinator told the worker its lease ended, so it joins the next one.
        Assert.Contains("stopping", session.Reason, StringComparison.Ordinal);
        Assert.Equal(2, after.Lease.Epoch);
        Assert.Equal([100L, 100L], restored.Members.OrderBy(m => m.MemberId).Select(m => m.Step));
        Assert.Equal("m00", restored.Members.Single(m => m.MemberId == "m01").ParentMemberId);
        Assert.Single(harness.Node.Population.State.Lineage);
        Assert.Equal(100, m00.Start.ResumeFrom.Step);
        // m01 resumes from the weights it was told to take.
        Assert.Equal(("m00", 100L), (m01.Start.ResumeFrom.MemberId, m01.Start.ResumeFrom.Step));

        await after.CheckpointAsync("m00", 2, step: 300);
        await after.ReportAsync("m00", 2, step: 300, validationLoss: 0.05);
        await after.ReportAsync("m01", 2, step: 300, validationLoss: 0.2);
        var outcome = await harness.Node.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(("run-test", "m00", 300L), (outcome.RunId, outcome.BestMemberId, outcome.Checkpoint!.Step));
        Assert.Equal(0.05, outcome.ValidationLoss);
        await after.WaitForAsync(c => c.Drain is not null, "drain");
        EventLogChecks.NoMemberOnTwoWorkers(harness.Events.Events.Items);
    }

    [Fact]
    public async Task A_store_of_another_run_is_refused()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1));

        var error = await Assert.ThrowsAsync<HyperSwarm.Coordinator.Store.StoreException>(() => harness.RestartAsync(o => o with { RunId = "other-run" }));

        Assert.Contains("belongs to run 'run-test'", error.Message, StringComparison.Ordinal);
    }
}
