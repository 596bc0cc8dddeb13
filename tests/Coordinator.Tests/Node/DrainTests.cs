using Grpc.Core;

namespace HyperSwarm.Coordinator.Tests.Node;

public sealed class DrainTests
{
    [Fact]
    public async Task A_drained_worker_still_gets_its_last_notices_in_while_the_coordinator_stops()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1, readySteps: 100, totalSteps: 100));
        var worker = await harness.WorkerAsync("w1", capacity: 1);
        await worker.StartOfAsync("m00");
        await worker.ReportAsync("m00", 1, step: 100, validationLoss: 0.5);
        await harness.Node.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await worker.WaitForAsync(c => c.Drain is not null, "drain");

        // The coordinator command stops its node as soon as the run completes. Watchers end at
        // once: that is the sign the stop has begun, before the worker has said its last.
        var stopping = harness.Node.StopAsync();
        var watcherEnded = await harness.Events.Ended.WaitAsync(TimeSpan.FromSeconds(20));
        await worker.CheckpointAsync("m00", 1, step: 100, path: "/ckpt/m00/final");
        await worker.DepartAsync();
        var session = await worker.SessionEnded.WaitAsync(TimeSpan.FromSeconds(20));
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        var rows = new List<string>();
        await foreach (var row in harness.Store.ReadEventsAsync(0, CancellationToken.None)) rows.Add($"{row.Kind} {row.MemberId} {row.PayloadJson}");

        Assert.Equal(StatusCode.Unavailable, watcherEnded.StatusCode);
        // The drained lease ended as the worker ended it (its departure), not cut off by the stop…
        Assert.Contains("left", session.Reason, StringComparison.Ordinal);
        // …and the notice sent after the stop began reached the population's log (what the machine
        // makes of a finished member's checkpoint is its business; what matters is it was not lost).
        Assert.True(rows.Any(r => r.Contains("/ckpt/m00/final", StringComparison.Ordinal)), string.Join("\n", rows));
    }
}
