using HyperSwarm.Coordinator.Store;
namespace HyperSwarm.Coordinator.Checkpoints;

/// <summary>What one pass of checkpoint GC did.</summary>
/// <param name="Deleted">Files deleted.</param>
/// <param name="AlreadyMissing">Files that were already gone; marked collected all the same.</param>
/// <param name="BytesFreed">Registered size of the deleted files.</param>
public sealed record CheckpointGcResult(int Deleted, int AlreadyMissing, long BytesFreed);
