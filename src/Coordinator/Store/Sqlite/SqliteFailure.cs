using Microsoft.Data.Sqlite;

namespace HyperSwarm.Coordinator.Store.Sqlite;

// Turns SQLite's error codes into one sentence that names the store file.
internal static class SqliteFailure
{
    // https://www.sqlite.org/rescode.html
    private const int Corrupted = 11, CannotOpen = 14, NotADatabase = 26, ReadOnly = 8, Full = 13, Busy = 5, Locked = 6;

    public static StoreException Corrupt(string file, string detail, Exception? inner = null)
    {
        var message = $"The population store {file} is corrupt or truncated ({detail}); restore it from a backup or start a new run directory.";
        return inner is null ? new StoreException(message) : new StoreException(message, inner);
    }

    public static StoreException From(string file, SqliteException error) => error.SqliteErrorCode switch
    {
        NotADatabase => new StoreException($"The population store {file} is not a SQLite database (it is garbage or was overwritten); restore it from a backup or start a new run directory.", error),
        Corrupted => Corrupt(file, "database disk image is malformed", error),
        CannotOpen => new StoreException($"The population store {file} cannot be opened: its folder is missing or not writable.", error),
        ReadOnly => new StoreException($"The population store {file} is read-only; the coordinator must be able to write it.", error),
        Full => new StoreException($"The population store {file} cannot grow: the disk is full.", error),
        Busy or Locked => new StoreException($"The population store {file} is locked by another process for too long; is a second coordinator using this run directory?", error),
        _ => new StoreException($"The population store {file} failed: {error.Message.TrimEnd('.')}.", error),
    };
}
