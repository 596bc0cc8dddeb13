namespace HyperSwarm.Coordinator.Sharding;

/// <summary>
/// Where members go: one member per slot, least-loaded worker first, and which running members
/// to move when a new worker leaves the cluster unbalanced. Load is the fraction of a worker's
/// slots in use, so a 4-slot worker with 2 members counts as less loaded than a 1-slot worker
/// with 1; a member goes where the load counting that member is lowest. Ties go to the worker
/// id in ordinal order, so every choice is deterministic.
/// </summary>
public static class Allocator
{
    /// <summary>The lowest free slot of the least-loaded worker that has one, or null when all are full.</summary>
    public static SlotRef? PickFreeSlot(SlotMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        string? best = null;
        foreach (var worker in map.Workers)
        {
            if (map.Load(worker.Id) >= worker.Capacity) continue;
            if (best is null || CompareLoadAfterOneMore(map, worker.Id, best) < 0) best = worker.Id;
        }
        return best is null ? null : map.FirstFreeSlot(best);
    }

    /// <summary>
    /// A free slot on another worker that a member of <paramref name="fromWorkerId"/> should move
    /// to, or null. A move must leave the target less loaded than the source was before it
    /// ((load_t + 1)/cap_t &lt; load_s/cap_s): otherwise it only shifts the imbalance, and two
    /// workers could pass a member back and forth forever.
    /// </summary>
    public static SlotRef? MoveTarget(SlotMap map, string fromWorkerId)
    {
        ArgumentNullException.ThrowIfNull(map);
        long sourceLoad = map.Load(fromWorkerId), sourceCapacity = map.Capacity(fromWorkerId);
        string? best = null;
        foreach (var worker in map.Workers)
        {
            if (worker.Id == fromWorkerId || map.Load(worker.Id) >= worker.Capacity) continue;
            var improves = (map.Load(worker.Id) + 1L) * sourceCapacity < sourceLoad * worker.Capacity;
            if (improves && (best is null || CompareLoadAfterOneMore(map, worker.Id, best) < 0)) best = worker.Id;
        }
        return best is null ? null : map.FirstFreeSlot(best);
    }

    /// <summary>
    /// Running members to move, in the order to request them, so that no further move improves
    /// the balance. Members in <paramref name="alreadyMoving"/> count as moved (their move is
    /// pending a checkpoint) and are never chosen again. Takes from the most loaded worker, its
    /// lowest member id first.
    /// </summary>
    public static IReadOnlyList<string> PlanMoves(SlotMap map, IReadOnlySet<string> alreadyMoving)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(alreadyMoving);
        var plan = map.Clone();
        foreach (var member in alreadyMoving.Order(StringComparer.Ordinal)) SimulateMove(plan, member);

        var moves = new List<string>();
        var moved = new HashSet<string>(alreadyMoving, StringComparer.Ordinal);
        while (true)
        {
            var source = MostLoadedWithMovable(plan, moved);
            if (source is null) break;
            var member = plan.MembersOn(source).Where(m => !moved.Contains(m)).Order(StringComparer.Ordinal).First();
            if (!SimulateMove(plan, member)) break;
            moved.Add(member);
            moves.Add(member);
        }
        return moves;
    }

    // The most loaded worker is the only one worth taking from: if a move off it does not
    // improve the balance, a move off a less loaded worker cannot either.
    private static string? MostLoadedWithMovable(SlotMap map, HashSet<string> moved)
    {
        string? worst = null;
        foreach (var worker in map.Workers)
        {
            if (!map.MembersOn(worker.Id).Any(m => !moved.Contains(m))) continue;
            if (worst is null || CompareLoad(map, worker.Id, worst) > 0) worst = worker.Id;
        }
        return worst;
    }

    private static bool SimulateMove(SlotMap plan, string member)
    {
        var from = plan.SlotOf(member);
        if (from is null) return false;
        var target = MoveTarget(plan, from.WorkerId);
        if (target is null) return false;
        plan.Release(member);
        plan.Occupy(member, target);
        return true;
    }

    // Sign of load_a/cap_a − load_b/cap_b, without division. Callers walk workers in ordinal id
    // order and replace their pick only on a strict difference, so ties keep the lower id.
    private static int CompareLoad(SlotMap map, string a, string b) =>
        ((long)map.Load(a) * map.Capacity(b)).CompareTo((long)map.Load(b) * map.Capacity(a));

    // The same for the load each would have with one more member: an empty 1-slot worker and
    // an empty 4-slot one are equally idle, but the member belongs on the one it fills least.
    private static int CompareLoadAfterOneMore(SlotMap map, string a, string b) =>
        ((map.Load(a) + 1L) * map.Capacity(b)).CompareTo((map.Load(b) + 1L) * map.Capacity(a));
}
