namespace HyperSwarm.Coordinator.Store;

/// <summary>
/// Rebuilds state from a store: restore the latest snapshot (or start empty), then fold every
/// event after it, in order. The caller supplies both steps, so the store stays free of the
/// population's types.
/// </summary>
public static class PopulationReplay
{
    /// <summary>Replays the store into a state and reports the last sequence folded in.</summary>
    /// <param name="store">The store to read.</param>
    /// <param name="restore">Builds the starting state from the latest snapshot, or from null when there is none.</param>
    /// <param name="apply">Folds one event into the state.</param>
    /// <param name="cancellationToken">Stops the replay between pages.</param>
    public static async Task<ReplayResult<TState>> RunAsync<TState>(
        IPopulationStore store,
        Func<StoredSnapshot?, TState> restore,
        Func<TState, StoredEvent, TState> apply,
        CancellationToken cancellationToken = default)
    {
        var snapshot = await store.LoadLatestSnapshotAsync(cancellationToken);
        var state = restore(snapshot);
        var last = snapshot?.Sequence ?? 0;
        await foreach (var stored in store.ReadEventsAsync(last, cancellationToken))
        {
            state = apply(state, stored);
            last = stored.Sequence;
        }
        return new ReplayResult<TState>(state, last, snapshot?.Sequence);
    }
}
