using System.Text.Json;

namespace HyperSwarm.Cli.Report;

/// <summary>Everything a report shows, read from one run directory.</summary>
internal sealed record ReportContent
{
    /// <summary>The run directory.</summary>
    public required string RunPath { get; init; }

    /// <summary><c>result.json</c>, or null when the run did not get that far.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>The run's own history (<c>train</c>), or each member's (<c>run</c>).</summary>
    public required IReadOnlyList<MemberHistory> Members { get; init; }

    /// <summary>The exported model on the test split, or null when there is no model yet.</summary>
    public TestOutcome? Test { get; init; }

    /// <summary>Why <see cref="Test"/> is missing, when it is.</summary>
    public string? TestMissing { get; init; }

    /// <summary>The population's event log (<c>run</c>), or null for a single run.</summary>
    public PopulationLog? Population { get; init; }
}
