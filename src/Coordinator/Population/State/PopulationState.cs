using System.Collections.Immutable;
using HyperSwarm.Coordinator.Sharding;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// The whole population as the machine sees it, and what the store snapshots
/// (<see cref="PopulationJson"/>). Maps are ordered by ordinal id so every walk over them, and
/// so every decision, comes out the same on replay.
/// </summary>
public sealed record PopulationState
{
    /// <summary>Members by id.</summary>
    public ImmutableSortedDictionary<string, PopulationMember> Members { get; init; } =
        ImmutableSortedDictionary.Create<string, PopulationMember>(StringComparer.Ordinal);

    /// <summary>Live workers by id.</summary>
    public ImmutableSortedDictionary<string, WorkerSlots> Workers { get; init; } =
        ImmutableSortedDictionary.Create<string, WorkerSlots>(StringComparer.Ordinal);

    /// <summary>Every copy between members, oldest first.</summary>
    public ImmutableList<LineageEntry> Lineage { get; init; } = [];

    /// <summary>Sequence of the last event-log entry; the next entry gets one more.</summary>
    public long Sequence { get; init; }

    /// <summary>The random generator's state after the last event.</summary>
    public ulong RandomState { get; init; }

    /// <summary>Selection rounds run so far.</summary>
    public int Rounds { get; init; }

    /// <summary>Whether the run started (members exist).</summary>
    public bool Started { get; init; }

    /// <summary>When the run started (its budget counts from here); null before.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Whether every member finished or failed.</summary>
    public bool Completed { get; init; }

    /// <summary>
    /// The best member: the lowest validation loss among finished members once any has finished,
    /// else among all ranked members; null while nobody has reported.
    /// </summary>
    public PopulationMember? Best()
    {
        var finished = TruncationSelection.Rank(Members.Values.Where(m => m.Status == MemberStatus.Finished));
        if (!finished.IsEmpty) return finished[0];
        var ranked = TruncationSelection.Rank(Members.Values);
        return ranked.IsEmpty ? null : ranked[0];
    }

    /// <summary>Copies into <paramref name="memberId"/> (exchanges and exploits), oldest first.</summary>
    public IEnumerable<LineageEntry> CopiesInto(string memberId) => Lineage.Where(e => e.MemberId == memberId);

    /// <summary>Copies taken from <paramref name="memberId"/>, oldest first.</summary>
    public IEnumerable<LineageEntry> CopiesFrom(string memberId) => Lineage.Where(e => e.SourceMemberId == memberId);

    /// <summary>
    /// Where <paramref name="memberId"/>'s weights came from: its last exploit, then the source's
    /// last exploit before that one, and so on back to a member that trained from scratch.
    /// </summary>
    public IReadOnlyList<LineageEntry> WeightAncestry(string memberId)
    {
        var chain = new List<LineageEntry>();
        var member = memberId;
        var before = long.MaxValue;
        while (true)
        {
            var current = member;
            var bound = before;
            var exploit = Lineage.LastOrDefault(e => e.Kind == ExchangeKind.Exploit && e.MemberId == current && e.Sequence < bound);
            if (exploit is null) return chain;
            chain.Add(exploit);
            member = exploit.SourceMemberId;
            before = exploit.Sequence;
        }
    }
}
