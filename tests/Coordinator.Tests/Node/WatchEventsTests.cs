using HyperSwarm.Coordinator.Node;
using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Node;

public sealed class WatchEventsTests
{
    [Fact]
    public async Task A_watcher_gets_the_log_after_its_sequence_then_live_events_and_the_population_agrees()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(3));
        var w1 = await harness.WorkerAsync("w1", capacity: 2);
        await harness.Events.WaitForAsync(e => e.Kind == "member_started" && e.MemberId == "m01", "m01 started");

        using var late = new EventWatcher(harness.Observer, afterSequence: 3);
        var replayed = await late.WaitForAsync(e => e.Kind == "worker_joined", "the replay");
        await harness.WorkerAsync("w2", capacity: 1);
        var live = await late.WaitForAsync(e => e.Kind == "member_started" && e.WorkerId == "w2", "m02 started on w2");
        var all = await harness.Events.WaitForAsync(e => e.Kind == "member_started" && e.WorkerId == "w2", "m02 started on w2");
        var population = await harness.PopulationAsync();

        var full = harness.Events.Events.Items;
        Assert.Equal(["run_started", "member_created", "member_created", "member_created"], full.Take(4).Select(e => e.Kind));
        Assert.Equal([1L, 2L, 3L, 4L], full.Take(4).Select(e => e.Sequence));
        EventLogChecks.SequencesRise(full);
        // The late watcher saw exactly the tail of the same log.
        Assert.Equal(full.Where(e => e.Sequence > 3).Select(e => (e.Sequence, e.Kind, e.MemberId)), late.Events.Items.Select(e => (e.Sequence, e.Kind, e.MemberId)));
        Assert.Equal(4, late.Events.Items[0].Sequence);
        Assert.Equal("w1", replayed.WorkerId);
        Assert.Equal((all.Sequence, "m02"), (live.Sequence, live.MemberId));
        Assert.Equal(MemberState.Running, live.Member.State);
        Assert.True(population.Sequence >= live.Sequence);
        Assert.Equal("run-test", population.RunId);
        Assert.Equal([("m00", "w1"), ("m01", "w1"), ("m02", "w2")], population.Members.Select(m => (m.MemberId, m.WorkerId)));
        Assert.All(population.Members, m => Assert.Equal(MemberState.Running, m.State));
        _ = w1;
    }

    [Fact]
    public async Task Another_runs_events_are_not_found()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1));

        var call = new Protocol.V1.Coordinator.CoordinatorClient(harness.Observer).WatchEvents(new WatchEventsRequest { RunId = "nope" });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
        var population = await Assert.ThrowsAsync<RpcException>(() => new Protocol.V1.Coordinator.CoordinatorClient(harness.Observer).GetPopulationAsync(new GetPopulationRequest { RunId = "nope" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(StatusCode.NotFound, population.StatusCode);
        call.Dispose();
    }
}
