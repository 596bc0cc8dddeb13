using HyperSwarm.Coordinator.Store;
namespace HyperSwarm.Coordinator.Checkpoints;

/// <summary>What became of a checkpoint file GC asked to delete.</summary>
public enum CheckpointDeletion
{
    /// <summary>The file existed and is gone now.</summary>
    Deleted,

    /// <summary>The file was already gone (deleted by hand, or its disk replaced).</summary>
    AlreadyMissing,
}
