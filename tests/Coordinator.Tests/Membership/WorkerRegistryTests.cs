using HyperSwarm.Coordinator.Membership;

namespace HyperSwarm.Coordinator.Tests.Membership;

public sealed class WorkerRegistryTests
{
    private static readonly MembershipOptions Defaults = new();
    private static readonly ClusterIncarnation NodeA = new("akka.tcp://hyperswarm@10.0.0.1:4000", 11);
    private static readonly ClusterIncarnation NodeB = new("akka.tcp://hyperswarm@10.0.0.2:4000", 22);

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Join_issues_a_lease_with_the_next_epoch_on_the_workers_node_and_the_configured_timing()
    {
        var registry = new WorkerRegistry(Defaults, _time, lastIssuedEpoch: 41);

        JoinOutcome outcome = registry.Join("w1", NodeA);

        Assert.Null(outcome.Superseded);
        Assert.Equal(new WorkerLease("w1", "w1#42", 42, NodeA, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)), outcome.Lease);
        Assert.Equal(42, registry.LastIssuedEpoch);
        Protocol.V1.Lease wire = outcome.Lease.ToProto();
        Assert.Equal(("w1#42", 42L, 15_000L, 1_000L), (wire.LeaseId, wire.Epoch, wire.TtlMs, wire.HeartbeatIntervalMs));
        Assert.Equal(WorkerState.Joining, Assert.Single(registry.Health()).State);
    }

    [Fact]
    public void A_lease_whose_node_is_up_lasts_for_ever_without_any_message()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1", NodeA).Lease.Epoch;
        Assert.True(registry.NodeUp(NodeA));

        _time.AdvanceMs(3_600_000);

        Assert.Empty(registry.Sweep());
        Assert.Equal(AdmissionVerdict.Accepted, registry.Admit("w1", epoch).Verdict);
        Assert.Equal(WorkerState.Up, Assert.Single(registry.Health()).State);
    }

    [Fact]
    public void A_node_that_never_joins_the_cluster_expires_its_lease_once_at_the_deadline()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1", NodeA).Lease.Epoch;

        _time.AdvanceMs(14_999);
        Assert.Empty(registry.Sweep());
        Assert.True(registry.Admit("w1", epoch).IsAccepted);

        _time.AdvanceMs(1);
        // Past the deadline the lease is refused even before a sweep says so.
        Assert.Equal(AdmissionVerdict.LeaseExpired, registry.Admit("w1", epoch).Verdict);
        Assert.Equal(new WorkerDown("w1", epoch, DownReason.LeaseExpired), Assert.Single(registry.Sweep()));
        Assert.Empty(registry.Sweep());
        Assert.False(registry.NodeUp(NodeA));
        Assert.Equal(WorkerState.Down, Assert.Single(registry.Health()).State);
    }

    [Theory]
    [InlineData(DownReason.Unreachable)]
    [InlineData(DownReason.Removed)]
    public void A_downed_node_ends_its_lease_once_and_fences_it(DownReason reason)
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1", NodeA).Lease.Epoch;
        registry.NodeUp(NodeA);

        Assert.Equal([new WorkerDown("w1", epoch, reason)], registry.NodeDown(NodeA, reason));
        Assert.Empty(registry.NodeDown(NodeA, reason));

        Assert.Equal(AdmissionVerdict.DeclaredDown, registry.Admit("w1", epoch).Verdict);
        Assert.Equal(WorkerState.Down, Assert.Single(registry.Health()).State);
    }

    [Fact]
    public void Unreachability_shows_in_health_without_ending_the_lease()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1", NodeA).Lease.Epoch;
        registry.NodeUp(NodeA);

        Assert.True(registry.NodeReachability(NodeA, unreachable: true));
        Assert.Equal(WorkerState.Unreachable, Assert.Single(registry.Health()).State);
        Assert.True(registry.Admit("w1", epoch).IsAccepted);

        registry.NodeReachability(NodeA, unreachable: false);
        Assert.Equal(WorkerState.Up, Assert.Single(registry.Health()).State);
    }

    [Fact]
    public void Only_the_incarnation_the_lease_names_can_end_it()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1", NodeA).Lease.Epoch;
        // The same address, restarted: another uid, so another node.
        var restarted = NodeA with { Uid = 99 };

        Assert.False(registry.NodeUp(restarted));
        Assert.Empty(registry.NodeDown(restarted, DownReason.Removed));
        Assert.Empty(registry.NodeDown(NodeB, DownReason.Unreachable));
        Assert.True(registry.Admit("w1", epoch).IsAccepted);
    }

    [Fact]
    public void A_rejoin_supersedes_the_live_lease_and_fences_its_epoch()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long first = registry.Join("w1", NodeA).Lease.Epoch;
        registry.NodeUp(NodeA);

        JoinOutcome again = registry.Join("w1", NodeA with { Uid = 12 });

        Assert.Equal(new WorkerDown("w1", first, DownReason.Superseded), again.Superseded);
        Assert.Equal(AdmissionVerdict.StaleEpoch, registry.Admit("w1", first).Verdict);
        Assert.Equal(AdmissionVerdict.Accepted, registry.Admit("w1", again.Lease.Epoch).Verdict);
        // The old incarnation's removal, when Akka gets to it, ends nothing.
        Assert.Empty(registry.NodeDown(NodeA, DownReason.Removed));
        Assert.Equal(WorkerState.Joining, Assert.Single(registry.Health()).State);
    }

    [Fact]
    public void A_rejoin_after_the_lease_ended_supersedes_nothing()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        registry.Join("w1", NodeA);
        registry.NodeUp(NodeA);
        registry.NodeDown(NodeA, DownReason.Unreachable);

        Assert.Null(registry.Join("w1", NodeB).Superseded);
    }

    [Fact]
    public void A_node_that_carries_several_workers_ends_all_their_leases_when_it_goes()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long w2 = registry.Join("w2", NodeA).Lease.Epoch;
        long w1 = registry.Join("w1", NodeA).Lease.Epoch;
        registry.Join("w3", NodeB);
        registry.NodeUp(NodeA);

        Assert.Equal([new WorkerDown("w1", w1, DownReason.Unreachable), new WorkerDown("w2", w2, DownReason.Unreachable)], registry.NodeDown(NodeA, DownReason.Unreachable));
        Assert.Equal([WorkerState.Down, WorkerState.Down, WorkerState.Joining], registry.Health().Select(h => h.State));
    }

    [Fact]
    public void A_drained_worker_leaves_and_is_then_refused_as_left()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1", NodeA).Lease.Epoch;
        registry.NodeUp(NodeA);

        Assert.True(registry.Leave("w1", epoch).IsAccepted);

        Assert.Equal(AdmissionVerdict.Left, registry.Admit("w1", epoch).Verdict);
        Assert.Equal(AdmissionVerdict.Left, registry.Leave("w1", epoch).Verdict);
        // Leaving the cluster afterwards is not a failure.
        Assert.Empty(registry.NodeDown(NodeA, DownReason.Removed));
        Assert.Equal(WorkerState.Left, Assert.Single(registry.Health()).State);
    }

    [Fact]
    public void Unknown_workers_and_epochs_never_issued_are_refused()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1", NodeA).Lease.Epoch;

        Assert.Equal(AdmissionVerdict.UnknownWorker, registry.Admit("w9", epoch).Verdict);
        Assert.Equal(AdmissionVerdict.FutureEpoch, registry.Admit("w1", epoch + 1).Verdict);
        Assert.Contains("never issued", registry.Admit("w1", epoch + 1).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Epochs_continue_above_the_last_one_a_previous_coordinator_issued()
    {
        var registry = new WorkerRegistry(Defaults, _time, lastIssuedEpoch: 7);

        Assert.Equal(8, registry.Join("w1", NodeA).Lease.Epoch);
        Assert.Equal(9, registry.Join("w2", NodeB).Lease.Epoch);
        Assert.Equal(10, registry.Join("w1", NodeA with { Uid = 3 }).Lease.Epoch);
        Assert.Equal(10, registry.LastIssuedEpoch);
    }

    [Fact]
    public void Health_lists_every_worker_in_id_order()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        registry.Join("w2", NodeB);
        registry.Join("w1", NodeA);
        registry.NodeUp(NodeA);

        Assert.Equal([("w1", WorkerState.Up), ("w2", WorkerState.Joining)], registry.Health().Select(h => (h.WorkerId, h.State)));
    }

    [Fact]
    public void Impossible_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerRegistry(new MembershipOptions { JoinWithin = TimeSpan.Zero }, _time, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerRegistry(new MembershipOptions { HeartbeatInterval = TimeSpan.FromSeconds(-1) }, _time, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerRegistry(Defaults, _time, -1));
    }
}
