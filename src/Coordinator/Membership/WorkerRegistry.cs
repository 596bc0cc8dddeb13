namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// Leases and fencing for the workers of one coordinator, on top of Akka.Cluster membership.
/// Pure logic: what Akka says about a node comes in as calls (<see cref="NodeUp"/>,
/// <see cref="NodeDown"/>, …), time comes from the injected <see cref="TimeProvider"/> (its
/// monotonic timestamp), the last issued epoch comes from the store, and every lease that ends
/// is handed back as data (<see cref="WorkerDown"/>) for the caller to act on.
/// </summary>
/// <remarks>
/// <para>
/// Fencing: every <see cref="Join"/> issues an epoch higher than any issued before, by this
/// registry or, through <c>lastIssuedEpoch</c>, by any earlier coordinator. A message is admitted
/// only with the exact epoch of its worker's live lease, so an incarnation that was downed,
/// restarted or partitioned away can never again write into the population, even while Akka
/// still delivers what it sends.
/// </para>
/// <para>
/// Every lease ends exactly once and is announced once: by <see cref="NodeDown"/> (Akka downed or
/// removed its node), by <see cref="Sweep"/> (its node never joined), by <see cref="Join"/> as
/// <see cref="JoinOutcome.Superseded"/>, or by an accepted <see cref="Leave"/>.
/// </para>
/// <para>Thread-safe, though the population actor is its one caller.</para>
/// </remarks>
public sealed class WorkerRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, WorkerEntry> _workers = new(StringComparer.Ordinal);
    private readonly MembershipOptions _options;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private long _lastIssuedEpoch;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="options">Lease settings.</param>
    /// <param name="time">Clock; only its monotonic timestamp is used.</param>
    /// <param name="lastIssuedEpoch">
    /// The highest epoch any coordinator of this run has issued, read from the store: new epochs
    /// start above it, so fencing survives a coordinator restart.
    /// </param>
    public WorkerRegistry(MembershipOptions options, TimeProvider time, long lastIssuedEpoch)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(lastIssuedEpoch);
        options.Validate();
        _options = options;
        _time = time;
        _origin = time.GetTimestamp();
        _lastIssuedEpoch = lastIssuedEpoch;
    }

    /// <summary>The settings this registry enforces.</summary>
    public MembershipOptions Options => _options;

    /// <summary>The highest epoch issued so far (the constructor's value until the first join).</summary>
    public long LastIssuedEpoch
    {
        get
        {
            lock (_gate)
            {
                return _lastIssuedEpoch;
            }
        }
    }

    /// <summary>
    /// Issues a new lease to <paramref name="workerId"/>, whose node is <paramref name="node"/>, with
    /// a new, higher epoch. The caller must persist the epoch as the last issued one before
    /// replying, or a restarted coordinator could hand the same epoch out twice.
    /// </summary>
    public JoinOutcome Join(string workerId, ClusterIncarnation node)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        lock (_gate)
        {
            WorkerDown? superseded = null;
            if (_workers.TryGetValue(workerId, out var previous) && previous.Ended is null)
            {
                superseded = new WorkerDown(workerId, previous.Lease.Epoch, DownReason.Superseded);
            }

            var epoch = ++_lastIssuedEpoch;
            var lease = new WorkerLease(workerId, $"{workerId}#{epoch}", epoch, node, _options.JoinWithin, _options.HeartbeatInterval);
            _workers[workerId] = new WorkerEntry(lease, Now() + _options.JoinWithin);
            return new JoinOutcome(lease, superseded);
        }
    }

    /// <summary>Decides whether a report, heartbeat or checkpoint notice carrying <paramref name="epoch"/> may be applied.</summary>
    public Admission Admit(string workerId, long epoch)
    {
        lock (_gate)
        {
            return Check(workerId, epoch, Now());
        }
    }

    /// <summary>A drained worker leaving on purpose: when admitted, its lease ends with <see cref="DownReason.Left"/>.</summary>
    public Admission Leave(string workerId, long epoch)
    {
        lock (_gate)
        {
            var admission = Check(workerId, epoch, Now());
            if (admission.IsAccepted) _workers[workerId].Ended = DownReason.Left;
            return admission;
        }
    }

    /// <summary>Akka reports <paramref name="node"/> up: its leases no longer need to reach the cluster. False when no live lease has that node.</summary>
    public bool NodeUp(ClusterIncarnation node) => Update(node, e => e.InCluster = true);

    /// <summary>Akka's failure detector finds <paramref name="node"/> unreachable (or reachable again, with <paramref name="unreachable"/> false).</summary>
    public bool NodeReachability(ClusterIncarnation node, bool unreachable) => Update(node, e => e.Unreachable = unreachable);

    /// <summary>
    /// Akka downed or removed <paramref name="node"/>: every live lease on it ends with
    /// <paramref name="reason"/> and is returned (ordered by worker id); none when no live lease
    /// has that node (it was already superseded, or left after draining).
    /// </summary>
    public IReadOnlyList<WorkerDown> NodeDown(ClusterIncarnation node, DownReason reason)
    {
        lock (_gate)
        {
            var down = new List<WorkerDown>();
            foreach (var entry in LiveOn(node))
            {
                entry.Ended = reason;
                down.Add(new WorkerDown(entry.Lease.WorkerId, entry.Lease.Epoch, reason));
            }

            return down;
        }
    }

    /// <summary>
    /// Ends every live lease whose node has not become a cluster member by its deadline and
    /// returns them (ordered by worker id). Call it periodically; each lease is returned once.
    /// </summary>
    public IReadOnlyList<WorkerDown> Sweep()
    {
        lock (_gate)
        {
            var now = Now();
            var down = new List<WorkerDown>();
            foreach (var entry in _workers.Values)
            {
                if (entry.Ended is not null || entry.InCluster || now < entry.JoinDeadline) continue;
                entry.Ended = DownReason.LeaseExpired;
                down.Add(new WorkerDown(entry.Lease.WorkerId, entry.Lease.Epoch, DownReason.LeaseExpired));
            }

            down.Sort((a, b) => string.CompareOrdinal(a.WorkerId, b.WorkerId));
            return down;
        }
    }

    /// <summary>Every known worker's state now, ordered by worker id.</summary>
    public IReadOnlyList<WorkerHealth> Health()
    {
        lock (_gate)
        {
            var health = _workers.Values.Select(HealthOf).ToList();
            health.Sort((a, b) => string.CompareOrdinal(a.WorkerId, b.WorkerId));
            return health;
        }
    }

    /// <summary>The worker's latest lease, live or ended; null if it never joined.</summary>
    public WorkerLease? LatestLease(string workerId)
    {
        lock (_gate)
        {
            return _workers.TryGetValue(workerId, out var entry) ? entry.Lease : null;
        }
    }

    private bool Update(ClusterIncarnation node, Action<WorkerEntry> change)
    {
        lock (_gate)
        {
            var live = LiveOn(node);
            foreach (var entry in live) change(entry);
            return live.Count > 0;
        }
    }

    // Usually one live lease per incarnation (a worker's own node); a node may carry several
    // workers (simulations), and its end ends them all. In worker id order.
    private List<WorkerEntry> LiveOn(ClusterIncarnation node) =>
        [.. _workers.Values.Where(e => e.Ended is null && e.Lease.Node == node).OrderBy(e => e.Lease.WorkerId, StringComparer.Ordinal)];

    private static WorkerHealth HealthOf(WorkerEntry entry)
    {
        var lease = entry.Lease;
        var state = entry.Ended switch
        {
            DownReason.Left => WorkerState.Left,
            not null => WorkerState.Down,
            null when !entry.InCluster => WorkerState.Joining,
            null when entry.Unreachable => WorkerState.Unreachable,
            null => WorkerState.Up,
        };
        return new WorkerHealth(lease.WorkerId, lease.Epoch, state);
    }

    private Admission Check(string workerId, long epoch, TimeSpan now)
    {
        if (!_workers.TryGetValue(workerId, out var entry))
        {
            return new Admission(AdmissionVerdict.UnknownWorker, workerId, epoch, 0);
        }

        var current = entry.Lease.Epoch;
        // Epoch first: an old incarnation is told it is fenced, whatever became of the new one.
        var verdict = epoch < current ? AdmissionVerdict.StaleEpoch
            : epoch > current ? AdmissionVerdict.FutureEpoch
            : entry.Ended switch
            {
                DownReason.Unreachable or DownReason.Removed => AdmissionVerdict.DeclaredDown,
                DownReason.LeaseExpired => AdmissionVerdict.LeaseExpired,
                DownReason.Left => AdmissionVerdict.Left,
                // Past its deadline but not swept yet: no longer valid, even before the sweep says so.
                null => !entry.InCluster && now >= entry.JoinDeadline ? AdmissionVerdict.LeaseExpired : AdmissionVerdict.Accepted,
                // Superseded is never stored: Join replaces the entry, and the old epoch is caught above.
                _ => throw new InvalidOperationException($"Unexpected stored down reason {entry.Ended}."),
            };
        return new Admission(verdict, workerId, epoch, current);
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);
}
