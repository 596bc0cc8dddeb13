using FsCheck;
using FsCheck.Fluent;
using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Checkpoints;
using HyperSwarm.Coordinator.Tests.Store.Support;

namespace HyperSwarm.Coordinator.Tests.Store;

/// <summary>
/// Random run histories (checkpoints, exploits, pins, earlier collections) against a reference
/// written the slow, obvious way: a fixpoint over "the last exploit before it was recorded".
/// </summary>
public sealed class CheckpointGcPropertyTests
{
    private static readonly string[] Members = ["m0", "m1", "m2", "m3"];

    [Fact]
    public void Nothing_reachable_is_ever_collected_and_everything_else_is()
    {
        var property = Prop.ForAll(Histories().ToArbitrary(), history =>
        {
            var garbage = CheckpointGc.SelectGarbage(history.Registry, history.Lineage, history.Pinned, history.LatestPerMember)
                .Select(c => c.Key).ToHashSet();
            var reachable = ReferenceReachable(history);
            var unreachableLive = history.Registry.Where(c => !c.IsCollected && !reachable.Contains(c.Key)).Select(c => c.Key);

            var safe = (!garbage.Overlaps(reachable)).Label("never collects a reachable checkpoint");
            var complete = garbage.SetEquals(unreachableLive).Label("collects every live unreachable checkpoint");
            return safe.And(complete);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    private static HashSet<CheckpointKey> ReferenceReachable(RunHistory history)
    {
        var live = history.Registry.Where(c => !c.IsCollected).ToList();
        var reachable = live
            .Where(c => live.Count(o => o.MemberId == c.MemberId && o.Step > c.Step) < history.LatestPerMember)
            .Select(c => c.Key)
            .Concat(history.Pinned)
            .ToHashSet();
        bool grew;
        do
        {
            grew = false;
            foreach (var record in history.Registry.Where(c => reachable.Contains(c.Key)).ToList())
            {
                var inForce = history.Lineage.Where(e =>
                    e.ChildMemberId == record.MemberId && e.At <= record.RecordedAt &&
                    !history.Lineage.Any(later => later.ChildMemberId == record.MemberId && later.At > e.At && later.At <= record.RecordedAt));
                foreach (var edge in inForce)
                    grew |= reachable.Add(edge.Source);
            }
        } while (grew);
        return reachable;
    }

    private static Gen<RunHistory> Histories() =>
        from actions in Gen.ListOf(
            from kind in Gen.Choose(0, 3)
            from member in Gen.Choose(0, Members.Length - 1)
            from other in Gen.Choose(0, Members.Length - 1)
            from pick in Gen.Choose(0, 20)
            from tick in Gen.Elements(true, true, false)
            select new Action(kind, member, other, pick, tick))
        from pins in Gen.ListOf(Gen.Choose(0, 40))
        from collected in Gen.ListOf(Gen.Choose(0, 40))
        from latestPerMember in Gen.Choose(1, 3)
        select Replay(actions.ToList(), pins.ToList(), collected.ToList(), latestPerMember);

    // Kinds 0–2 record a checkpoint, 3 is an exploit; ticks that do not advance the clock make
    // ties between exploits and checkpoints. A pick past the parent's checkpoints names a source
    // the registry never saw.
    private static RunHistory Replay(List<Action> actions, List<int> pins, List<int> collected, int latestPerMember)
    {
        var second = 0;
        var registry = new List<CheckpointRecord>();
        var lineage = new List<LineageEdge>();
        var steps = new int[Members.Length];
        foreach (var action in actions)
        {
            second += action.Tick ? 1 : 0;
            if (action.Kind < 3)
            {
                steps[action.Member] += 100;
                registry.Add(History.Checkpoint(Members[action.Member], steps[action.Member], second));
                continue;
            }
            if (action.Other == action.Member)
                continue;
            var sources = registry.Where(c => c.MemberId == Members[action.Other]).ToList();
            var sourceStep = action.Pick < sources.Count ? sources[action.Pick].Step : 999_999;
            lineage.Add(History.Exploit(Members[action.Member], Members[action.Other], sourceStep, second));
        }
        var marked = registry
            .Select((c, i) => collected.Contains(i) ? History.Checkpoint(c.MemberId, c.Step, (int)(c.RecordedAt - History.Start).TotalSeconds, collected: true) : c)
            .ToList();
        var pinned = pins.Select(i => i < registry.Count ? registry[i].Key : History.Key("ghost", i)).Distinct().ToList();
        return new RunHistory(marked, lineage, pinned, latestPerMember);
    }

    private sealed record Action(int Kind, int Member, int Other, int Pick, bool Tick);

    private sealed record RunHistory(List<CheckpointRecord> Registry, List<LineageEdge> Lineage, List<CheckpointKey> Pinned, int LatestPerMember)
    {
        public override string ToString() =>
            $"latest={LatestPerMember}; registry=[{string.Join(", ", Registry.Select(c => $"{c.Key}t{(c.RecordedAt - History.Start).TotalSeconds}{(c.IsCollected ? "x" : "")}"))}]; " +
            $"lineage=[{string.Join(", ", Lineage.Select(e => $"{e.ChildMemberId}<-{e.Source}t{(e.At - History.Start).TotalSeconds}"))}]; pinned=[{string.Join(", ", Pinned)}]";
    }
}
