using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

/// <summary>What must hold of every state the machine reaches, checked after each event in the transcripts and the property tests.</summary>
internal static class PopulationInvariants
{
    public static void Check(PopulationState state)
    {
        var slots = new Dictionary<(string, int), string>();
        foreach (var member in state.Members.Values)
        {
            if (member.Status == MemberStatus.Pending && member.Slot is not null)
                throw new InvalidOperationException($"{member.Id} is pending but holds {member.Slot}.");
            if (member.Status != MemberStatus.Running) continue;
            var slot = member.Slot ?? throw new InvalidOperationException($"{member.Id} runs without a slot.");
            if (!state.Workers.TryGetValue(slot.WorkerId, out var worker))
                throw new InvalidOperationException($"{member.Id} runs on {slot.WorkerId}, which is not a live worker.");
            if (slot.Index < 0 || slot.Index >= worker.Capacity || worker.Devices[slot.Index] != slot.Device)
                throw new InvalidOperationException($"{member.Id} holds {slot}, which {slot.WorkerId} does not have.");
            if (!slots.TryAdd((slot.WorkerId, slot.Index), member.Id))
                throw new InvalidOperationException($"{member.Id} and {slots[(slot.WorkerId, slot.Index)]} share {slot}.");
            if (member.Epoch < 1) throw new InvalidOperationException($"{member.Id} runs under epoch {member.Epoch}.");
            if (member.LastReport is { } report && !double.IsFinite(report.ValidationLoss))
                throw new InvalidOperationException($"{member.Id} keeps a non-finite loss in the ranking.");
        }
        var sequences = state.Lineage.Select(e => e.Sequence).ToList();
        if (!sequences.SequenceEqual(sequences.Order()) || sequences.Any(s => s > state.Sequence))
            throw new InvalidOperationException("lineage sequences are out of order or ahead of the log.");
    }
}
