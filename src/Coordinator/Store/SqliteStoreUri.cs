namespace HyperSwarm.Coordinator.Store;

/// <summary>An embedded store: one SQLite file, usually <c>RUN_DIR/population.db</c>.</summary>
/// <param name="Path">The database file, relative to the working directory or absolute.</param>
public sealed record SqliteStoreUri(string Path) : StoreUri
{
    /// <inheritdoc/>
    public override string ToString() => $"sqlite:{Path}";
}
