namespace HyperSwarm.Coordinator.Tests.Node;

// The wire has no "member failed" message: a member that ended on its own on a worker (a resume
// checkpoint it could not read, say) just stops being listed in that worker's heartbeats.
public sealed class MemberAbsenceTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_member_missing_from_its_workers_heartbeats_for_the_grace_is_restarted_under_a_new_epoch()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1), o => o with { MemberAbsenceGrace = Grace });
        var worker = await harness.WorkerAsync("w1", capacity: 1);
        await worker.StartOfAsync("m00", epoch: 1);

        // Listed, then missing: the clock starts at the first heartbeat without it.
        await worker.HeartbeatAsync();
        for (var beat = 0; beat < 7; beat++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(5));
            await worker.HeartbeatAsync(running: []);
            await worker.SyncAsync(harness.Events); // read at this time, not after the next advance
        }

        var restart = await worker.StartOfAsync("m00", epoch: 2);
        var logged = await harness.Events.WaitForAsync(e => e.Kind == "member_restarted" && e.MemberId == "m00", "the restart of m00");

        Assert.Contains("not running on w1: missing from its heartbeats for 30 s", logged.Reason, StringComparison.Ordinal);
        Assert.Equal("m00", restart.Start.MemberId);
    }

    [Fact]
    public async Task A_member_that_reappears_within_the_grace_is_left_alone()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1), o => o with { MemberAbsenceGrace = Grace });
        var worker = await harness.WorkerAsync("w1", capacity: 1);
        await worker.StartOfAsync("m00", epoch: 1);

        // Missing for 25 s, listed again, missing for 25 s: never 30 s in a row.
        async Task BeatAsync(IEnumerable<string>? running)
        {
            await worker.HeartbeatAsync(running: running);
            await worker.SyncAsync(harness.Events);
        }

        await BeatAsync([]);
        harness.Time.Advance(TimeSpan.FromSeconds(25));
        await BeatAsync([]);
        await BeatAsync(null);
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await BeatAsync([]);
        harness.Time.Advance(TimeSpan.FromSeconds(25));
        await BeatAsync([]);

        Assert.DoesNotContain(harness.Events.Events.Items, e => e.Kind is "member_restarted" or "member_failed");
        Assert.DoesNotContain(worker.Commands.Items, c => c.Start is { Epoch: 2 });
    }
}
