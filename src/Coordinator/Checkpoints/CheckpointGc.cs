using HyperSwarm.Coordinator.Store;
namespace HyperSwarm.Coordinator.Checkpoints;

/// <summary>
/// Decides which checkpoint files may go (DESIGN.md §3.6). A pure function of the registry,
/// the lineage and the pinned checkpoints; <see cref="CheckpointGcExecutor"/> does the deleting.
/// </summary>
/// <remarks>
/// The roots are each member's latest live checkpoints and every pinned checkpoint (the source
/// of an exploit in flight, the target of a pending resume). A checkpoint's parent is the
/// source of the last exploit into its member at or before the time it was recorded; all
/// ancestors of a root are kept. Every other live checkpoint is garbage. A member's own older
/// checkpoints are not ancestors: they are the same lineage as its newer ones, only staler.
/// </remarks>
public static class CheckpointGc
{
    /// <summary>Returns the live checkpoints to delete, by member then step.</summary>
    /// <param name="registry">Every registered checkpoint, collected ones included (they still carry lineage).</param>
    /// <param name="lineage">Every weight exploit of the run.</param>
    /// <param name="pinned">Checkpoints something is about to read.</param>
    /// <param name="latestPerMember">How many of each member's newest live checkpoints are roots.</param>
    public static IReadOnlyList<CheckpointRecord> SelectGarbage(
        IReadOnlyCollection<CheckpointRecord> registry,
        IReadOnlyCollection<LineageEdge> lineage,
        IReadOnlyCollection<CheckpointKey> pinned,
        int latestPerMember = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latestPerMember, 1);
        var byKey = registry.ToDictionary(record => record.Key);
        var reachable = Reachable(Roots(registry, pinned, latestPerMember), byKey, ExploitsByChild(lineage));
        return registry
            .Where(record => !record.IsCollected && !reachable.Contains(record.Key))
            .OrderBy(record => record.MemberId, StringComparer.Ordinal)
            .ThenBy(record => record.Step)
            .ToList();
    }

    private static IEnumerable<CheckpointKey> Roots(
        IReadOnlyCollection<CheckpointRecord> registry, IReadOnlyCollection<CheckpointKey> pinned, int latestPerMember) =>
        registry
            .Where(record => !record.IsCollected)
            .GroupBy(record => record.MemberId)
            .SelectMany(member => member.OrderByDescending(record => record.Step).Take(latestPerMember))
            .Select(record => record.Key)
            .Concat(pinned);

    private static Dictionary<string, LineageEdge[]> ExploitsByChild(IReadOnlyCollection<LineageEdge> lineage) =>
        lineage
            .GroupBy(edge => edge.ChildMemberId)
            .ToDictionary(child => child.Key, child => child.OrderBy(edge => edge.At).ToArray());

    private static HashSet<CheckpointKey> Reachable(
        IEnumerable<CheckpointKey> roots, Dictionary<CheckpointKey, CheckpointRecord> byKey, Dictionary<string, LineageEdge[]> exploits)
    {
        var reachable = new HashSet<CheckpointKey>();
        var pending = new Stack<CheckpointKey>(roots);
        while (pending.TryPop(out var key))
        {
            // The visited check also ends any cycle a malformed lineage might contain.
            if (!reachable.Add(key) || !byKey.TryGetValue(key, out var record))
                continue;
            foreach (var parent in Parents(record, exploits))
                pending.Push(parent);
        }
        return reachable;
    }

    // The source of the member's last exploit at or before the checkpoint was recorded. Exploits
    // tied at that instant are all parents: which one the weights came from is unknowable, so
    // GC keeps every candidate rather than guess.
    private static IEnumerable<CheckpointKey> Parents(CheckpointRecord record, Dictionary<string, LineageEdge[]> exploits)
    {
        if (!exploits.TryGetValue(record.MemberId, out var edges))
            yield break;
        var governing = edges.LastOrDefault(edge => edge.At <= record.RecordedAt);
        if (governing is null)
            yield break;
        foreach (var edge in edges.Where(edge => edge.At == governing.At))
            yield return edge.Source;
    }
}
