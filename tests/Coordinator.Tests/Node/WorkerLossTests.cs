using HyperSwarm.Coordinator.Membership;
using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;

namespace HyperSwarm.Coordinator.Tests.Node;

public sealed class WorkerLossTests
{
    // σ floored at 1 s and no acceptable pause: φ reaches 8 after about 6.3 s of silence.
    private static readonly MembershipOptions Strict = new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(1),
        LeaseTtl = TimeSpan.FromSeconds(30),
        FailureDetector = new PhiAccrualOptions { AcceptablePause = TimeSpan.Zero, MinStandardDeviation = TimeSpan.FromSeconds(1) },
    };

    [Fact]
    public async Task A_silent_worker_is_declared_down_and_its_member_resumes_on_another_from_its_last_checkpoint()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(2), o => o with { Membership = Strict });
        var a = await harness.WorkerAsync("wa", capacity: 1);
        await a.StartOfAsync("m00", epoch: 1);
        await a.ReportAsync("m00", 1, step: 120, validationLoss: 0.3);
        await a.CheckpointAsync("m00", 1, step: 100);
        await a.SyncAsync(harness.Events);

        // B joins 4 s after A last spoke; then A stays silent for 7 s in all, B for 3 s.
        harness.Time.Advance(TimeSpan.FromSeconds(4));
        var b = await harness.WorkerAsync("wb", capacity: 2);
        await b.StartOfAsync("m01", epoch: 1);
        harness.Time.Advance(TimeSpan.FromSeconds(3));

        var resumed = await b.StartOfAsync("m00");
        var lost = await harness.Events.WaitForAsync(e => e.Kind == "worker_lost", "worker_lost");
        var fenced = await a.SessionEnded;

        Assert.Equal("wa", lost.WorkerId);
        Assert.Equal(2, resumed.Start.Epoch);
        Assert.Equal(("m00", 100L, "/ckpt/m00/100"), (resumed.Start.ResumeFrom.MemberId, resumed.Start.ResumeFrom.Step, resumed.Start.ResumeFrom.Path));
        Assert.Equal(StatusCode.FailedPrecondition, fenced.StatusCode);
        Assert.Contains("declared down", fenced.Detail, StringComparison.Ordinal);
        var population = await harness.PopulationAsync();
        Assert.All(population.Members, m => Assert.Equal("wb", m.WorkerId));
        Assert.Equal(100, population.Members.Single(m => m.MemberId == "m00").Step);
        EventLogChecks.NoMemberOnTwoWorkers(harness.Events.Events.Items);

        // A's late report, on a new session under its old lease, is fenced too.
        await a.OpenSessionAsync();
        Assert.Equal(StatusCode.FailedPrecondition, (await a.SessionEnded).StatusCode);
    }
}
