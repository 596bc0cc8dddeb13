using HyperSwarm.Coordinator.Store;
namespace HyperSwarm.Coordinator.Checkpoints;

/// <summary>
/// Deletes a checkpoint's file wherever it lies: on shared storage the coordinator reaches
/// directly (<see cref="LocalCheckpointDeleter"/>), or on a worker through a command.
/// </summary>
public interface ICheckpointDeleter
{
    /// <summary>Deletes the file; a file already missing is an outcome, not an error.</summary>
    Task<CheckpointDeletion> DeleteAsync(CheckpointRecord checkpoint, CancellationToken cancellationToken = default);
}
