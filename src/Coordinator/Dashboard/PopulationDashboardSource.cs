using System.Runtime.CompilerServices;
using HyperSwarm.Coordinator.Node;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// A coordinator's population on the dashboard: members, workers and lineage from the state the
/// node last persisted (what GetPopulation serves), events from the feed WatchEvents follows.
/// </summary>
public sealed class PopulationDashboardSource(CoordinatorNode node) : IDashboardSource
{
    /// <inheritdoc />
    public DashboardSnapshot Snapshot()
    {
        var (state, sequence) = node.Population;
        return Of(state, node.RunId, sequence);
    }

    /// <summary>The dashboard's view of <paramref name="state"/>.</summary>
    public static DashboardSnapshot Of(PopulationState state, string runId, long sequence)
    {
        ArgumentNullException.ThrowIfNull(state);
        var status = state.Completed ? "complete" : state.Started ? "running" : "starting";
        var members = state.Members.Values.Select(Member).ToList();
        var workers = state.Workers.Values.Select(w =>
        {
            var own = state.Members.Values.Where(m => m.Slot?.WorkerId == w.Id).ToList();
            var lastReport = own.Select(m => m.LastReport?.At).Max();
            return new DashboardWorker(w.Id, "up", w.Address, w.Devices, own.Count(m => m.Status == MemberStatus.Running), lastReport);
        }).ToList();
        var lineage = state.Lineage.Select(e => new DashboardCopy(e.MemberId, e.SourceMemberId,
            e.Kind == ExchangeKind.Exploit ? "exploit" : "hyperparameters", e.Step, e.SourceStep, e.At)).ToList();
        return new DashboardSnapshot(DashboardSnapshot.PopulationKind, runId, status, sequence, members, workers, lineage);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DashboardEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watcher = node.Feed.Subscribe();
        try
        {
            // The feed completes a watcher that fell behind or a node that stops; the caller
            // watches again (its next snapshot has whatever the missed events changed).
            while (await watcher.Channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (watcher.Channel.Reader.TryRead(out var e))
                {
                    yield return new DashboardEvent(e.Sequence, DateTimeOffset.FromUnixTimeMilliseconds(e.UnixMs), e.Kind, e.MemberId, e.WorkerId, e.Reason);
                }
            }
        }
        finally
        {
            node.Feed.Unsubscribe(watcher);
        }
    }

    private static DashboardMember Member(PopulationMember m) => new(
        m.Id,
        m.Status.ToString().ToLowerInvariant(),
        m.Slot?.WorkerId,
        m.Step,
        m.LastReport is { } r ? DashboardMember.Finite(r.TrainLoss) : null,
        m.LastReport is { } v ? DashboardMember.Finite(v.ValidationLoss) : null,
        m.LastReport is { } a ? DashboardMember.Finite(a.ValidationAccuracy) : null,
        null, // throughput is the worker's telemetry (hyperswarm.member.throughput), not population state
        m.ParentId,
        m.Hyperparameters.Values.ToDictionary(h => h.Name, h => h.Value, StringComparer.Ordinal));
}
