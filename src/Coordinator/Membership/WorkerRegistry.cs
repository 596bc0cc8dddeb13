namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// Leases, heartbeats and fencing for the workers of one coordinator. Pure logic: time comes
/// from the injected <see cref="TimeProvider"/> (its monotonic timestamp), the last issued
/// epoch comes from the store, and every lease that ends is handed back as data
/// (<see cref="WorkerDown"/>) for the caller to act on.
/// </summary>
/// <remarks>
/// <para>
/// Fencing: every <see cref="Join"/> issues an epoch higher than any issued before, by this
/// registry or, through <c>lastIssuedEpoch</c>, by any earlier coordinator. A message is admitted
/// only with the exact epoch of its worker's live lease, so an incarnation that was declared
/// down, restarted or partitioned away can never again write into the population.
/// </para>
/// <para>
/// Every lease ends exactly once and is announced once: by <see cref="Sweep"/> (φ or TTL), by
/// <see cref="Join"/> as <see cref="JoinOutcome.Superseded"/>, or by an accepted <see cref="Leave"/>.
/// </para>
/// <para>Thread-safe: session handlers and the sweep timer may call it concurrently.</para>
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
    /// <param name="options">Lease and detector settings.</param>
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
    /// Issues a new lease to <paramref name="workerId"/> with a new, higher epoch. The caller must
    /// persist the epoch as the last issued one before replying, or a restarted coordinator could
    /// hand the same epoch out twice.
    /// </summary>
    public JoinOutcome Join(string workerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        lock (_gate)
        {
            TimeSpan now = Now();
            WorkerDown? superseded = null;
            if (_workers.TryGetValue(workerId, out WorkerEntry? previous) && previous.Ended is null)
            {
                superseded = new WorkerDown(workerId, previous.Lease.Epoch, DownReason.Superseded, previous.Detector.Phi(now));
            }

            long epoch = ++_lastIssuedEpoch;
            var lease = new WorkerLease(workerId, $"{workerId}#{epoch}", epoch, _options.LeaseTtl, _options.HeartbeatInterval);
            var detector = new PhiAccrualFailureDetector(_options.FailureDetector, _options.HeartbeatInterval);
            // The join itself is the first sign of life; the detector bootstraps from the interval.
            detector.Heartbeat(now);
            _workers[workerId] = new WorkerEntry(lease, detector, now + _options.LeaseTtl);
            return new JoinOutcome(lease, superseded);
        }
    }

    /// <summary>
    /// A heartbeat: when admitted it renews the lease and feeds the failure detector. Reports and
    /// notices do not renew (use <see cref="Admit"/>): their timing is irregular and would blur φ.
    /// </summary>
    public Admission Heartbeat(string workerId, long epoch)
    {
        lock (_gate)
        {
            TimeSpan now = Now();
            Admission admission = Check(workerId, epoch, now);
            if (admission.IsAccepted)
            {
                WorkerEntry entry = _workers[workerId];
                entry.Detector.Heartbeat(now);
                entry.ExpiresAt = now + _options.LeaseTtl;
            }

            return admission;
        }
    }

    /// <summary>Decides whether a report or checkpoint notice carrying <paramref name="epoch"/> may be applied.</summary>
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
            Admission admission = Check(workerId, epoch, Now());
            if (admission.IsAccepted)
            {
                _workers[workerId].Ended = DownReason.Left;
            }

            return admission;
        }
    }

    /// <summary>
    /// Declares down every live worker whose lease has expired or whose φ has reached the
    /// threshold, and returns them (ordered by worker id). Call it periodically, e.g. every
    /// half heartbeat interval; each worker is returned once per lease.
    /// </summary>
    public IReadOnlyList<WorkerDown> Sweep()
    {
        lock (_gate)
        {
            TimeSpan now = Now();
            var down = new List<WorkerDown>();
            foreach (WorkerEntry entry in _workers.Values)
            {
                if (entry.Ended is not null)
                {
                    continue;
                }

                double phi = entry.Detector.Phi(now);
                DownReason? reason = now >= entry.ExpiresAt ? DownReason.LeaseExpired
                    : phi >= _options.FailureDetector.Threshold ? DownReason.PhiExceeded
                    : null;
                if (reason is { } why)
                {
                    entry.Ended = why;
                    down.Add(new WorkerDown(entry.Lease.WorkerId, entry.Lease.Epoch, why, phi));
                }
            }

            down.Sort((a, b) => string.CompareOrdinal(a.WorkerId, b.WorkerId));
            return down;
        }
    }

    /// <summary>Every known worker's state and φ now, ordered by worker id.</summary>
    public IReadOnlyList<WorkerHealth> Health()
    {
        lock (_gate)
        {
            TimeSpan now = Now();
            var health = new List<WorkerHealth>(_workers.Count);
            foreach (WorkerEntry entry in _workers.Values)
            {
                health.Add(HealthOf(entry, now));
            }

            health.Sort((a, b) => string.CompareOrdinal(a.WorkerId, b.WorkerId));
            return health;
        }
    }

    /// <summary>The worker's latest lease, live or ended; null if it never joined.</summary>
    public WorkerLease? LatestLease(string workerId)
    {
        lock (_gate)
        {
            return _workers.TryGetValue(workerId, out WorkerEntry? entry) ? entry.Lease : null;
        }
    }

    private WorkerHealth HealthOf(WorkerEntry entry, TimeSpan now)
    {
        WorkerLease lease = entry.Lease;
        if (entry.Ended is { } reason)
        {
            WorkerState ended = reason == DownReason.Left ? WorkerState.Left : WorkerState.Down;
            return new WorkerHealth(lease.WorkerId, lease.Epoch, ended, 0);
        }

        double phi = entry.Detector.Phi(now);
        WorkerState state = phi >= _options.SuspectPhi ? WorkerState.Suspect : WorkerState.Up;
        return new WorkerHealth(lease.WorkerId, lease.Epoch, state, phi);
    }

    private Admission Check(string workerId, long epoch, TimeSpan now)
    {
        if (!_workers.TryGetValue(workerId, out WorkerEntry? entry))
        {
            return new Admission(AdmissionVerdict.UnknownWorker, workerId, epoch, 0);
        }

        long current = entry.Lease.Epoch;
        // Epoch first: an old incarnation is told it is fenced, whatever became of the new one.
        AdmissionVerdict verdict = epoch < current ? AdmissionVerdict.StaleEpoch
            : epoch > current ? AdmissionVerdict.FutureEpoch
            : entry.Ended switch
            {
                DownReason.PhiExceeded => AdmissionVerdict.DeclaredDown,
                DownReason.LeaseExpired => AdmissionVerdict.LeaseExpired,
                DownReason.Left => AdmissionVerdict.Left,
                // Expired but not swept yet: the lease is no longer valid, even before the sweep says so.
                null => now >= entry.ExpiresAt ? AdmissionVerdict.LeaseExpired : AdmissionVerdict.Accepted,
                // Superseded is never stored: Join replaces the entry, and the old epoch is caught above.
                _ => throw new InvalidOperationException($"Unexpected stored down reason {entry.Ended}."),
            };
        return new Admission(verdict, workerId, epoch, current);
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);
}
