using HyperSwarm.Coordinator.Store;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Coordinator.Checkpoints;

/// <summary>
/// Runs checkpoint GC: reads the registry, asks <see cref="CheckpointGc"/> what may go, deletes
/// those files and marks them collected. The caller must not start new exploits or resumes
/// during a pass (the coordinator runs it between population steps), or a pin could be missed.
/// </summary>
public sealed class CheckpointGcExecutor(IPopulationStore store, ICheckpointDeleter deleter, ILogger<CheckpointGcExecutor> logger)
{
    /// <summary>One GC pass. A file that cannot be deleted stops the pass; the ones before it stay collected.</summary>
    public async Task<CheckpointGcResult> CollectAsync(
        IReadOnlyCollection<LineageEdge> lineage,
        IReadOnlyCollection<CheckpointKey> pinned,
        int latestPerMember = 1,
        CancellationToken cancellationToken = default)
    {
        var registry = await store.ListAllCheckpointsAsync(cancellationToken);
        var garbage = CheckpointGc.SelectGarbage(registry, lineage, pinned, latestPerMember);
        int deleted = 0, missing = 0;
        long bytes = 0;
        foreach (var checkpoint in garbage)
        {
            // Delete, then mark: a crash in between leaves a live entry whose file is gone, which
            // the next pass finds missing and marks. The reverse order could leak the file.
            var outcome = await deleter.DeleteAsync(checkpoint, cancellationToken);
            if (outcome == CheckpointDeletion.AlreadyMissing)
            {
                missing++;
                logger.LogInformation(
                    "Checkpoint GC: {Path} (member {MemberId}, step {Step}) was already gone; marking it collected.",
                    checkpoint.Path, checkpoint.MemberId, checkpoint.Step);
            }
            else
            {
                deleted++;
                bytes += checkpoint.SizeBytes;
            }
            await store.MarkCollectedAsync(checkpoint.Key, cancellationToken);
        }
        return new CheckpointGcResult(deleted, missing, bytes);
    }
}
