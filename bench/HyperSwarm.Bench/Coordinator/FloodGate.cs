namespace HyperSwarm.Bench.Coordinator;

/// <summary>
/// Flat out, but bounded: Akka.Remote has no flow control, so the simulated workers together keep
/// at most <see cref="Window"/> reports ahead of what the coordinator has applied (its own report
/// counter). Without it a flood grows the coordinator's mailbox without bound and measures memory,
/// not the coordinator.
/// </summary>
internal sealed class FloodGate(Func<long> applied)
{
    /// <summary>Reports in flight at most (sent, not yet applied), all workers together.</summary>
    public const long Window = 20_000;

    private long _sent;

    /// <summary>True when one more report may go now; counts it as sent.</summary>
    public bool TryTake()
    {
        if (Interlocked.Read(ref _sent) - applied() >= Window) return false;
        Interlocked.Increment(ref _sent);
        return true;
    }
}
