using HyperSwarm.GpuActors.Checkpoints;
using System.Collections.Concurrent;
using System.Globalization;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// A fault injected on purpose, for tests with real processes (DESIGN.md §5 wants a diverging
/// member restored, and nothing outside a worker can make a loss NaN): each named member's
/// weights are filled with NaN once, between the steps after its first report at or past the
/// given weight step. <c>hyperswarm worker</c> reads them from <c>HYPERSWARM_FAILPOINTS</c>
/// (<c>nan:m01@30,nan:m03@50</c>); unset, there are none. Each fires once per worker process,
/// so a member restored from an earlier checkpoint does not diverge again when it passes the step.
/// </summary>
public sealed class NanFailpoints
{
    /// <summary>The environment variable <c>hyperswarm worker</c> reads.</summary>
    public const string Variable = "HYPERSWARM_FAILPOINTS";

    private readonly IReadOnlyDictionary<string, long> atStep;
    private readonly ConcurrentDictionary<string, bool> fired = new(StringComparer.Ordinal);

    private NanFailpoints(IReadOnlyDictionary<string, long> atStep) => this.atStep = atStep;

    /// <summary>No faults.</summary>
    public static NanFailpoints None { get; } = new(new Dictionary<string, long>());

    /// <summary>Members with a fault, by the weight step it waits for.</summary>
    public IReadOnlyDictionary<string, long> AtStep => atStep;

    /// <summary>Parses <c>nan:MEMBER@STEP</c> entries separated by commas; null or blank is <see cref="None"/>.</summary>
    public static NanFailpoints Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        var parsed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = entry.LastIndexOf('@');
            var member = at > 4 && entry.StartsWith("nan:", StringComparison.Ordinal) ? entry[4..at] : "";
            if (!CheckpointRoot.IsValidMemberId(member) || !long.TryParse(entry[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            {
                throw new FormatException($"{Variable}: '{entry}' is not nan:MEMBER@STEP (e.g. nan:m01@30).");
            }

            parsed[member] = step;
        }

        return new NanFailpoints(parsed);
    }

    /// <summary>True exactly once per member, at the first call with <paramref name="step"/> at or past its fault's step.</summary>
    public bool TryFire(string memberId, long step) =>
        atStep.TryGetValue(memberId, out var due) && step >= due && fired.TryAdd(memberId, true);
}
