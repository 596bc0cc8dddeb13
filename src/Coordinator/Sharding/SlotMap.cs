namespace HyperSwarm.Coordinator.Sharding;

/// <summary>
/// Which member occupies which slot of which worker, built fresh from the population state for
/// one decision. It refuses to put two members in one slot or one member in two slots, so an
/// allocation bug surfaces as an exception instead of a member trained twice.
/// </summary>
public sealed class SlotMap
{
    private readonly SortedDictionary<string, WorkerSlots> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?[]> _occupants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlotRef> _slotOf = new(StringComparer.Ordinal);

    /// <summary>A map of <paramref name="workers"/> with every slot free.</summary>
    public SlotMap(IEnumerable<WorkerSlots> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        foreach (var worker in workers)
        {
            _workers.Add(worker.Id, worker);
            _occupants.Add(worker.Id, new string?[worker.Capacity]);
        }
    }

    /// <summary>The workers, in ordinal id order.</summary>
    public IEnumerable<WorkerSlots> Workers => _workers.Values;

    /// <summary>Members held by <paramref name="workerId"/>.</summary>
    public int Load(string workerId) => _occupants[workerId].Count(o => o is not null);

    /// <summary>Slots of <paramref name="workerId"/>.</summary>
    public int Capacity(string workerId) => _workers[workerId].Capacity;

    /// <summary>Whether the map knows <paramref name="workerId"/>.</summary>
    public bool HasWorker(string workerId) => _workers.ContainsKey(workerId);

    /// <summary>The member in <paramref name="slot"/>, or null when it is free.</summary>
    public string? Occupant(SlotRef slot) => _occupants[slot.WorkerId][slot.Index];

    /// <summary>The slot <paramref name="memberId"/> occupies, or null.</summary>
    public SlotRef? SlotOf(string memberId) => _slotOf.GetValueOrDefault(memberId);

    /// <summary>Members on <paramref name="workerId"/>, in slot order.</summary>
    public IEnumerable<string> MembersOn(string workerId) => _occupants[workerId].OfType<string>();

    /// <summary>The lowest free slot of <paramref name="workerId"/>, or null when it is full.</summary>
    public SlotRef? FirstFreeSlot(string workerId)
    {
        var occupants = _occupants[workerId];
        var index = Array.IndexOf(occupants, null);
        return index < 0 ? null : new SlotRef(workerId, index, _workers[workerId].Devices[index]);
    }

    /// <summary>Puts <paramref name="memberId"/> into <paramref name="slot"/>.</summary>
    public void Occupy(string memberId, SlotRef slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (!_occupants.TryGetValue(slot.WorkerId, out var occupants) || slot.Index < 0 || slot.Index >= occupants.Length)
            throw new InvalidOperationException($"slot {slot} does not exist.");
        if (occupants[slot.Index] is { } other)
            throw new InvalidOperationException($"slot {slot} already holds {other}; {memberId} cannot share it.");
        if (_slotOf.TryGetValue(memberId, out var held))
            throw new InvalidOperationException($"{memberId} already holds slot {held}; it cannot take {slot} too.");
        occupants[slot.Index] = memberId;
        _slotOf[memberId] = slot;
    }

    /// <summary>Frees the slot <paramref name="memberId"/> holds, if any.</summary>
    public void Release(string memberId)
    {
        if (!_slotOf.Remove(memberId, out var slot)) return;
        _occupants[slot.WorkerId][slot.Index] = null;
    }

    /// <summary>An independent copy, for planning moves without touching this map.</summary>
    public SlotMap Clone()
    {
        var copy = new SlotMap(_workers.Values);
        foreach (var (member, slot) in _slotOf) copy.Occupy(member, slot);
        return copy;
    }
}
