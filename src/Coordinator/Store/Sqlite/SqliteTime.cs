using System.Globalization;

namespace HyperSwarm.Coordinator.Store.Sqlite;

// SQLite has no time type: instants are stored as fixed-width ISO 8601 UTC text, which sorts
// as time does and reads well in the sqlite3 shell.
internal static class SqliteTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string ToText(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        new(DateTime.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);
}
