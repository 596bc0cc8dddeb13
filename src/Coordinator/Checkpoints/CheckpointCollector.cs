using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Coordinator.Checkpoints;

/// <summary>
/// Checkpoint GC between actor turns (docs/coordinator.md, "Checkpoint GC"): after checkpoints
/// were written, at most once per interval, delete what neither a member's newest
/// <c>keep</c> checkpoints, nor anything a member may still load, nor their lineage needs.
/// Only checkpoints this process sees are collected: one whose folder does not exist here lies
/// on a worker's own disk (or on shared storage not mounted here) and is left alone, not marked
/// collected; that is said once.
/// </summary>
internal sealed class CheckpointCollector(IPopulationStore store, int keep, TimeSpan interval, TimeProvider time, ILoggerFactory loggers)
{
    private readonly CheckpointGcExecutor _executor = new(store, new LocalCheckpointDeleter(), loggers.CreateLogger<CheckpointGcExecutor>());
    private readonly ILogger _logger = loggers.CreateLogger<CheckpointCollector>();
    private long _lastPass = long.MinValue;
    private bool _saidUnseen;
    private bool _finalPassDone;

    /// <summary>Set when a checkpoint was written since the last pass.</summary>
    public bool Dirty { get; set; }

    public async Task CollectIfDueAsync(PopulationState state, CancellationToken cancellationToken)
    {
        // Once the run is complete nothing more is written: one last pass at once leaves only
        // what the outcome and the lineage need, however recent the previous pass.
        var final = state.Completed && !_finalPassDone;
        if (!final && (!Dirty || (_lastPass != long.MinValue && time.GetElapsedTime(_lastPass) < interval))) return;
        _finalPassDone |= final;
        _lastPass = time.GetTimestamp();
        Dirty = false;
        try
        {
            var pinned = Pinned(state);
            pinned.AddRange(await UnseenAsync(cancellationToken));
            var result = await _executor.CollectAsync(Lineage(state), pinned, keep, cancellationToken);
            if (result.Deleted + result.AlreadyMissing > 0)
                _logger.LogInformation("Checkpoint GC deleted {Deleted} files ({Bytes} bytes); {Missing} were already gone.", result.Deleted, result.BytesFreed, result.AlreadyMissing);
        }
        catch (StoreException error)
        {
            // A file that cannot be deleted stops the pass; the population does not depend on
            // it, so the node goes on and the next pass tries again.
            _logger.LogError(error, "Checkpoint GC stopped: {Reason}", error.Message);
        }
    }

    // Live checkpoints whose folder this machine does not have: not this process's to delete
    // (their worker prunes its own, docs/worker.md), and not gone either. Pinned, so GC neither
    // deletes nor marks them.
    private async Task<List<CheckpointKey>> UnseenAsync(CancellationToken cancellationToken)
    {
        var unseen = (await store.ListAllCheckpointsAsync(cancellationToken))
            .Where(c => !c.IsCollected && !Directory.Exists(Path.GetDirectoryName(c.Path)))
            .ToList();
        if (unseen.Count > 0 && !_saidUnseen)
        {
            _saidUnseen = true;
            _logger.LogWarning(
                "Checkpoint GC leaves alone the checkpoints this machine does not see (such as {Path} of member {Member}); mount the workers' shared checkpoint folder here at the same path for the coordinator to collect them.",
                unseen[0].Path, unseen[0].MemberId);
        }

        return [.. unseen.Select(c => c.Key)];
    }

    // Every weight exploit: the checkpoints its child writes afterwards descend from its source.
    private static List<LineageEdge> Lineage(PopulationState state) =>
    [
        .. state.Lineage
            .Where(e => e.Kind == ExchangeKind.Exploit)
            .Select(e => new LineageEdge(e.MemberId, new CheckpointKey(e.SourceMemberId, e.SourceStep), e.At)),
    ];

    // What a member may still load: where it resumes after a loss or a move (an exploit's source
    // until it writes its own), and where it goes back to when it diverges.
    private static List<CheckpointKey> Pinned(PopulationState state) =>
    [
        .. state.Members.Values
            .SelectMany(m => new[] { m.Checkpoint, m.GoodCheckpoint })
            .OfType<CheckpointReference>()
            .Select(c => new CheckpointKey(c.MemberId, c.Step))
            .Distinct(),
    ];
}
