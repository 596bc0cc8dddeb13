using System.Text.RegularExpressions;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;

namespace HyperSwarm.Cli.Report;

/// <summary>
/// A population run's event log (<c>population.db</c>) as the report shows it: each PBT
/// decision with the coordinator's reason, each copy between members (the lineage), and when
/// each member started and ended, in seconds since the run started.
/// </summary>
internal sealed partial record PopulationLog(IReadOnlyList<PopulationLog.Decision> Decisions, IReadOnlyList<PopulationLog.Copy> Copies, IReadOnlyList<PopulationLog.Span> Members)
{
    // What the coordinator decided about a member, and what happened to it (diverged, restored, …).
    private static readonly HashSet<string> DecisionKinds =
    [
        EventKinds.Exchange, EventKinds.Exploit, EventKinds.ExchangeFailed, EventKinds.ExploitFailed, EventKinds.SelectionSkipped, EventKinds.MemberDiverged,
        EventKinds.MemberRestored, EventKinds.MemberRestarted, EventKinds.MemberFailed,
    ];

    /// <summary>One decision: its log sequence, seconds since the run started, kind, member and reason.</summary>
    public sealed record Decision(long Sequence, double Seconds, string Kind, string? MemberId, string Reason);

    /// <summary><see cref="MemberId"/> took <see cref="SourceId"/>'s weights (exploit) or hyperparameters (exchange).</summary>
    public sealed record Copy(double Seconds, string MemberId, string SourceId, string Kind);

    /// <summary>A member's life on the run's clock: from its first event (created) to its last.</summary>
    public sealed record Span(string MemberId, double Start, double End);

    /// <summary>Reads the event log in <paramref name="runDirectory"/>; null when it has none (a <c>train</c> run).</summary>
    public static async Task<PopulationLog?> ReadAsync(string runDirectory, CancellationToken cancellationToken)
    {
        var uri = StoreUri.ForRunDirectory(runDirectory);
        if (!File.Exists(Path.Combine(runDirectory, StoreUri.DefaultFileName))) return null;
        var events = new List<StoredEvent>();
        await using (var store = await PopulationStore.OpenAsync(uri, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await foreach (var e in store.ReadEventsAsync(0, cancellationToken).ConfigureAwait(false)) events.Add(e);
        }

        return Of(events);
    }

    // "#17 failed on w1: …" names decision 17.
    private static long FailedDecision(string? reason) =>
        reason is ['#', ..] && long.TryParse(reason.AsSpan(1, Math.Max(0, reason.IndexOf(' ', StringComparison.Ordinal) - 1)), out var sequence) ? sequence : 0;

    /// <summary>The report's view of <paramref name="events"/> (the store's rows, in order).</summary>
    public static PopulationLog Of(IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var start = events.Count == 0 ? default : events[0].RecordedAt;
        double Seconds(StoredEvent e) => (e.RecordedAt - start).TotalSeconds;
        var decisions = events.Where(e => DecisionKinds.Contains(e.Kind))
            .Select(e => new Decision(e.Sequence, Seconds(e), e.Kind, e.MemberId, e.Reason ?? "")).ToList();
        // A copy its worker could not carry out never happened: its failure names its sequence.
        var failed = events.Where(e => e.Kind is EventKinds.ExchangeFailed or EventKinds.ExploitFailed)
            .Select(e => FailedDecision(e.Reason)).ToHashSet();
        var copies = events.Where(e => e.Kind is EventKinds.Exchange or EventKinds.Exploit && e.MemberId is not null && !failed.Contains(e.Sequence))
            .Select(e => (Event: e, Source: SourceOf(e.Reason)))
            .Where(c => c.Source is not null)
            .Select(c => new Copy(Seconds(c.Event), c.Event.MemberId!, c.Source!, c.Event.Kind)).ToList();
        var members = events.Where(e => e.MemberId is not null && e.Kind != "input")
            .GroupBy(e => e.MemberId!, StringComparer.Ordinal)
            .Select(g => new Span(g.Key, Seconds(g.First()), Seconds(g.Last())))
            .OrderBy(s => s.MemberId, StringComparer.Ordinal).ToList();
        return new PopulationLog(decisions, copies, members);
    }

    /// <summary>
    /// Whose weights <paramref name="memberId"/> ends with: the member, then the source of its
    /// last exploit, then that source's last exploit before it, and so on (<c>m05 ← m02 ← m00</c>).
    /// </summary>
    public IReadOnlyList<string> Ancestry(string memberId)
    {
        var chain = new List<string> { memberId };
        var before = double.PositiveInfinity;
        while (chain.Count <= Members.Count)
        {
            var current = chain[^1];
            var exploit = Copies.LastOrDefault(c => c.Kind == EventKinds.Exploit && c.MemberId == current && c.Seconds < before);
            if (exploit is null) break;
            chain.Add(exploit.SourceId);
            before = exploit.Seconds;
        }

        return chain;
    }

    // The population machine words every copy "from SOURCE: …" or "from SOURCE checkpoint step
    // N: …" (PopulationMachine.Selection); the source is in no other column of the log.
    private static string? SourceOf(string? reason) =>
        reason is not null && FromSource().Match(reason) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"^from (\S+?)(?::| checkpoint)")]
    private static partial Regex FromSource();
}
