namespace HyperSwarm.Coordinator.Store;

/// <summary>
/// A write was fenced off: this coordinator once led the run, but another has since taken over
/// (its leadership epoch is newer). The coordinator must stop acting on the population.
/// </summary>
public sealed class LeadershipLostException : StoreException
{
    /// <summary>Creates the error for a coordinator that led at <paramref name="epoch"/>.</summary>
    public LeadershipLostException(string store, long epoch)
        : base($"This coordinator no longer leads the run in {store}: another coordinator took over after leadership epoch {epoch}.")
    {
        Epoch = epoch;
    }

    /// <summary>The epoch this coordinator held when it was fenced off.</summary>
    public long Epoch { get; }
}
