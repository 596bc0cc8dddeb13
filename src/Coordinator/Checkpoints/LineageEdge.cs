using HyperSwarm.Coordinator.Store;
namespace HyperSwarm.Coordinator.Checkpoints;

/// <summary>
/// One weight exploit: <paramref name="ChildMemberId"/> loaded the checkpoint
/// <paramref name="Source"/> at <paramref name="At"/>. Every checkpoint the child records from
/// then until its next exploit descends from that source.
/// </summary>
public sealed record LineageEdge(string ChildMemberId, CheckpointKey Source, DateTimeOffset At);
