using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Node;

/// <summary>Properties of an event log as a watcher received it.</summary>
internal static class EventLogChecks
{
    /// <summary>
    /// Walks the log keeping who holds each member, and fails if a member is started on one
    /// worker while another still holds it (DESIGN.md §5: no member is trained twice at once).
    /// A move stops the old holder before it starts the new one, so it hands over directly.
    /// </summary>
    public static void NoMemberOnTwoWorkers(IEnumerable<PopulationEvent> events)
    {
        var holder = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case "member_started" or "member_restored" or "member_restarted":
                    if (holder.TryGetValue(e.MemberId, out var other) && other != e.WorkerId)
                        Assert.Fail($"sequence {e.Sequence}: {e.MemberId} started on {e.WorkerId} while {other} still holds it");
                    holder[e.MemberId] = e.WorkerId;
                    break;
                case "member_moved":
                    holder[e.MemberId] = e.WorkerId;
                    break;
                case "worker_lost" or "worker_rejoined":
                    foreach (var held in holder.Where(h => h.Value == e.WorkerId).ToList()) holder.Remove(held.Key);
                    break;
                case "member_finished" or "member_failed":
                    holder.Remove(e.MemberId);
                    break;
            }
        }
    }

    public static void SequencesRise(IReadOnlyList<PopulationEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
            Assert.True(events[i].Sequence > events[i - 1].Sequence, $"sequence {events[i].Sequence} follows {events[i - 1].Sequence}");
    }
}
