using HyperSwarm.Coordinator.Membership;

namespace HyperSwarm.Coordinator.Tests.Membership;

public sealed class WorkerRegistryTests
{
    private static readonly MembershipOptions Defaults = new();

    // A detector that never fires (60 s of acceptable pause), so only the TTL can end a lease.
    private static readonly MembershipOptions TtlOnly = new()
    {
        FailureDetector = new PhiAccrualOptions { AcceptablePause = TimeSpan.FromSeconds(60) },
    };

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Join_issues_a_lease_with_the_next_epoch_and_the_configured_timing()
    {
        var registry = new WorkerRegistry(Defaults, _time, lastIssuedEpoch: 41);

        JoinOutcome outcome = registry.Join("w1");

        Assert.Null(outcome.Superseded);
        Assert.Equal(new WorkerLease("w1", "w1#42", 42, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)), outcome.Lease);
        Assert.Equal(42, registry.LastIssuedEpoch);
        Protocol.V1.Lease wire = outcome.Lease.ToProto();
        Assert.Equal(("w1#42", 42L, 10_000L, 1_000L), (wire.LeaseId, wire.Epoch, wire.TtlMs, wire.HeartbeatIntervalMs));
    }

    [Fact]
    public void Heartbeats_renew_the_lease_well_past_its_ttl()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1").Lease.Epoch;

        for (int i = 0; i < 60; i++)
        {
            _time.AdvanceMs(1_000);
            Assert.Equal(AdmissionVerdict.Accepted, registry.Heartbeat("w1", epoch).Verdict);
            Assert.Empty(registry.Sweep());
        }

        Assert.Equal(AdmissionVerdict.Accepted, registry.Admit("w1", epoch).Verdict);
        Assert.Equal(WorkerState.Up, Assert.Single(registry.Health()).State);
    }

    [Fact]
    public void Reports_are_admitted_but_do_not_renew_the_lease()
    {
        var registry = new WorkerRegistry(TtlOnly, _time, 0);
        long epoch = registry.Join("w1").Lease.Epoch;

        for (int i = 0; i < 10; i++)
        {
            _time.AdvanceMs(999);
            Assert.True(registry.Admit("w1", epoch).IsAccepted);
        }

        _time.AdvanceMs(10);

        Assert.Equal(AdmissionVerdict.LeaseExpired, registry.Admit("w1", epoch).Verdict);
    }

    [Fact]
    public void A_silent_worker_is_declared_down_once_when_phi_crosses_the_threshold()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1").Lease.Epoch;
        for (int i = 0; i < 20; i++)
        {
            _time.AdvanceMs(1_000);
            registry.Heartbeat("w1", epoch);
        }

        var silence = TimeSpan.Zero;
        IReadOnlyList<WorkerDown> down = [];
        while (down.Count == 0)
        {
            _time.AdvanceMs(100);
            silence += TimeSpan.FromMilliseconds(100);
            down = registry.Sweep();
        }

        WorkerDown only = Assert.Single(down);
        Assert.Equal(("w1", epoch, DownReason.PhiExceeded), (only.WorkerId, only.Epoch, only.Reason));
        Assert.True(only.Phi >= Defaults.FailureDetector.Threshold);
        // Found by φ well before the 10 s TTL.
        Assert.InRange(silence.TotalSeconds, 4.4, 4.7);
        Assert.Equal(WorkerState.Down, Assert.Single(registry.Health()).State);
        _time.AdvanceMs(20_000);
        Assert.Empty(registry.Sweep());
    }

    [Fact]
    public void The_lease_expires_after_its_ttl_when_phi_stays_low()
    {
        var registry = new WorkerRegistry(TtlOnly, _time, 0);
        long epoch = registry.Join("w1").Lease.Epoch;

        _time.AdvanceMs(9_999);
        Assert.Empty(registry.Sweep());
        _time.AdvanceMs(1);

        WorkerDown down = Assert.Single(registry.Sweep());
        Assert.Equal(("w1", epoch, DownReason.LeaseExpired), (down.WorkerId, down.Epoch, down.Reason));
        Assert.Equal(AdmissionVerdict.LeaseExpired, registry.Admit("w1", epoch).Verdict);
    }

    [Fact]
    public void An_expired_lease_refuses_a_late_heartbeat_even_before_the_sweep()
    {
        var registry = new WorkerRegistry(TtlOnly, _time, 0);
        long epoch = registry.Join("w1").Lease.Epoch;
        _time.AdvanceMs(10_500);

        Admission late = registry.Heartbeat("w1", epoch);

        Assert.Equal(AdmissionVerdict.LeaseExpired, late.Verdict);
        // The refused heartbeat did not renew: the sweep still ends the lease.
        Assert.Equal(DownReason.LeaseExpired, Assert.Single(registry.Sweep()).Reason);
    }

    [Fact]
    public void Messages_from_a_worker_declared_down_are_refused_and_do_not_revive_it()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1").Lease.Epoch;
        _time.AdvanceMs(6_000);
        Assert.Single(registry.Sweep());

        Admission heartbeat = registry.Heartbeat("w1", epoch);
        Admission report = registry.Admit("w1", epoch);

        Assert.Equal(AdmissionVerdict.DeclaredDown, heartbeat.Verdict);
        Assert.Equal(AdmissionVerdict.DeclaredDown, report.Verdict);
        Assert.Contains("declared down", report.Describe(), StringComparison.Ordinal);
        Assert.Equal(WorkerState.Down, Assert.Single(registry.Health()).State);
    }

    [Fact]
    public void A_rejoining_worker_gets_a_higher_epoch_and_its_old_epoch_is_fenced()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        registry.Join("other");
        long old = registry.Join("w1").Lease.Epoch;
        _time.AdvanceMs(6_000);
        Assert.Equal(2, registry.Sweep().Count);

        long fresh = registry.Join("w1").Lease.Epoch;
        Admission stale = registry.Admit("w1", old);

        Assert.True(fresh > old);
        Assert.Equal(new Admission(AdmissionVerdict.StaleEpoch, "w1", old, fresh), stale);
        Assert.Contains("fenced", stale.Describe(), StringComparison.Ordinal);
        Assert.Equal(AdmissionVerdict.StaleEpoch, registry.Heartbeat("w1", old).Verdict);
        Assert.Equal(AdmissionVerdict.Accepted, registry.Heartbeat("w1", fresh).Verdict);
    }

    [Fact]
    public void Joining_again_while_live_supersedes_the_old_lease_exactly_once()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long first = registry.Join("w1").Lease.Epoch;
        _time.AdvanceMs(500);

        JoinOutcome again = registry.Join("w1");

        Assert.NotNull(again.Superseded);
        Assert.Equal(("w1", first, DownReason.Superseded), (again.Superseded.WorkerId, again.Superseded.Epoch, again.Superseded.Reason));
        Assert.Equal(AdmissionVerdict.StaleEpoch, registry.Admit("w1", first).Verdict);
        Assert.True(registry.Admit("w1", again.Lease.Epoch).IsAccepted);
        // The sweep never reports the superseded lease a second time.
        Assert.Empty(registry.Sweep());
    }

    [Fact]
    public void Joining_after_being_declared_down_supersedes_nothing()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        registry.Join("w1");
        _time.AdvanceMs(6_000);
        Assert.Single(registry.Sweep());

        Assert.Null(registry.Join("w1").Superseded);
    }

    [Fact]
    public void An_unknown_worker_is_refused()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);

        Admission admission = registry.Admit("ghost", 3);

        Assert.Equal(new Admission(AdmissionVerdict.UnknownWorker, "ghost", 3, 0), admission);
        Assert.Equal(AdmissionVerdict.UnknownWorker, registry.Heartbeat("ghost", 3).Verdict);
        Assert.Null(registry.LatestLease("ghost"));
    }

    [Fact]
    public void An_epoch_never_issued_to_the_worker_is_refused()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1").Lease.Epoch;

        Assert.Equal(AdmissionVerdict.FutureEpoch, registry.Admit("w1", epoch + 1).Verdict);
    }

    [Fact]
    public void Epochs_keep_rising_across_a_coordinator_restart()
    {
        var before = new WorkerRegistry(Defaults, _time, 0);
        long w1 = before.Join("w1").Lease.Epoch;
        long w2 = before.Join("w2").Lease.Epoch;
        long w1Again = before.Join("w1").Lease.Epoch;
        long persisted = before.LastIssuedEpoch;

        // The restarted coordinator reads the last issued epoch back from its store.
        var after = new WorkerRegistry(Defaults, _time, persisted);

        Assert.Equal(AdmissionVerdict.UnknownWorker, after.Admit("w1", w1Again).Verdict);
        long rejoined = after.Join("w1").Lease.Epoch;
        Assert.True(rejoined > Math.Max(w1, Math.Max(w2, w1Again)));
        Assert.Equal(AdmissionVerdict.StaleEpoch, after.Admit("w1", w1Again).Verdict);
        Assert.True(after.Join("w2").Lease.Epoch > rejoined);
    }

    [Fact]
    public void A_worker_that_leaves_is_refused_afterwards_and_never_swept()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long epoch = registry.Join("w1").Lease.Epoch;

        Assert.True(registry.Leave("w1", epoch).IsAccepted);
        _time.AdvanceMs(60_000);

        Assert.Empty(registry.Sweep());
        Assert.Equal(AdmissionVerdict.Left, registry.Admit("w1", epoch).Verdict);
        Assert.Equal(new WorkerHealth("w1", epoch, WorkerState.Left, 0), Assert.Single(registry.Health()));
    }

    [Fact]
    public void Health_shows_late_workers_as_suspect_before_they_are_declared_down()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        long a = registry.Join("a").Lease.Epoch;
        long b = registry.Join("b").Lease.Epoch;
        for (int i = 0; i < 10; i++)
        {
            _time.AdvanceMs(1_000);
            registry.Heartbeat("a", a);
            registry.Heartbeat("b", b);
        }

        _time.AdvanceMs(300);
        registry.Heartbeat("a", a);
        _time.AdvanceMs(4_150);

        IReadOnlyList<WorkerHealth> health = registry.Health();

        Assert.Equal(["a", "b"], health.Select(h => h.WorkerId));
        Assert.Equal(WorkerState.Up, health[0].State);
        Assert.Equal(WorkerState.Suspect, health[1].State);
        Assert.InRange(health[1].Phi, Defaults.SuspectPhi, Defaults.FailureDetector.Threshold);
    }

    [Fact]
    public void Sweep_reports_several_down_workers_in_id_order()
    {
        var registry = new WorkerRegistry(Defaults, _time, 0);
        foreach (string id in new[] { "w3", "w1", "w2" })
        {
            registry.Join(id);
        }

        _time.AdvanceMs(6_000);

        Assert.Equal(["w1", "w2", "w3"], registry.Sweep().Select(d => d.WorkerId));
    }

    [Fact]
    public void Invalid_settings_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerRegistry(Defaults with { LeaseTtl = TimeSpan.FromSeconds(1) }, _time, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerRegistry(Defaults with { SuspectPhi = 9 }, _time, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerRegistry(Defaults, _time, -1));
    }
}
