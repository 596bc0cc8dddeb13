using System.Text.Json;

namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// The dashboard's JSON (docs/cli.md, "Live dashboard"): snake_case fields; member ids and
/// hyperparameter names kept as they are; times as ISO 8601; unknown numbers as null.
/// </summary>
internal static class DashboardJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>A snapshot with the curves and recent events: <c>/api/snapshot</c> and the stream's first message.</summary>
    public static string Full(DashboardSnapshot s, IReadOnlyDictionary<string, IReadOnlyList<DashboardPoint>> history, IReadOnlyList<DashboardEvent> events) =>
        JsonSerializer.Serialize(new { s.Kind, s.Run, s.Status, s.Sequence, s.Members, s.Workers, s.Lineage, History = history, Events = events }, Options);

    /// <summary>A snapshot alone: the stream's periodic <c>members</c> message.</summary>
    public static string Snapshot(DashboardSnapshot s) => JsonSerializer.Serialize(s, Options);

    /// <summary>One event: the stream's <c>event</c> message.</summary>
    public static string Event(DashboardEvent e) => JsonSerializer.Serialize(e, Options);
}
