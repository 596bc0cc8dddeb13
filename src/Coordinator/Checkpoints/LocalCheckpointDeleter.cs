using HyperSwarm.Coordinator.Store;
namespace HyperSwarm.Coordinator.Checkpoints;

/// <summary>Deletes checkpoint files from a file system this process can see (one machine, or shared storage).</summary>
public sealed class LocalCheckpointDeleter : ICheckpointDeleter
{
    /// <inheritdoc/>
    public Task<CheckpointDeletion> DeleteAsync(CheckpointRecord checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        // Asked first, rather than inferred from an exception: File.Delete is silent about a
        // missing file but throws for a missing folder, and neither should read as a failure.
        if (!File.Exists(checkpoint.Path))
            return Task.FromResult(CheckpointDeletion.AlreadyMissing);
        try
        {
            File.Delete(checkpoint.Path);
        }
        catch (IOException error)
        {
            throw CannotDelete(checkpoint, error);
        }
        catch (UnauthorizedAccessException error)
        {
            throw CannotDelete(checkpoint, error);
        }
        return Task.FromResult(CheckpointDeletion.Deleted);
    }

    private static StoreException CannotDelete(CheckpointRecord checkpoint, Exception error) =>
        new($"Checkpoint GC could not delete {checkpoint.Path} (member '{checkpoint.MemberId}', step {checkpoint.Step}): {error.Message.TrimEnd('.')}.", error);
}
