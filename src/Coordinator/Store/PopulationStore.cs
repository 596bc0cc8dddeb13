using HyperSwarm.Coordinator.Store.Postgres;
using HyperSwarm.Coordinator.Store.Sqlite;

namespace HyperSwarm.Coordinator.Store;

/// <summary>Opens the store a <see cref="StoreUri"/> names.</summary>
public static class PopulationStore
{
    /// <summary>Parses <paramref name="uri"/> and opens that store, creating its schema if missing.</summary>
    public static Task<IPopulationStore> OpenAsync(string uri, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        OpenAsync(StoreUri.Parse(uri), time, cancellationToken);

    /// <summary>Opens the store, creating its schema if missing.</summary>
    public static async Task<IPopulationStore> OpenAsync(StoreUri uri, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        uri switch
        {
            SqliteStoreUri sqlite => await SqlitePopulationStore.OpenAsync(sqlite.Path, time, cancellationToken),
            PostgresStoreUri postgres => await PostgresPopulationStore.OpenAsync(postgres, time, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(uri), uri, "Unknown kind of store URI."),
        };
}
