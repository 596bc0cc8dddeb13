namespace HyperSwarm.Coordinator.Store;

/// <summary>Held leadership of a run; disposing it hands leadership to a standby.</summary>
public interface ILeadershipLease : IAsyncDisposable
{
    /// <summary>The run led.</summary>
    string RunId { get; }

    /// <summary>Counts takeovers: each new leader's epoch is one more than the last.</summary>
    long Epoch { get; }
}
