using System.Collections.Immutable;
using System.Globalization;

namespace HyperSwarm.Coordinator.Population;

// One PBT round per timer tick: rank, truncation selection, and per ready weak member either a
// hyperparameter-only exchange or a weight exploit (docs/population.md, "Selection").
public sealed partial class PopulationMachine
{
    private void OnTimerTicked()
    {
        if (!_state.Started || _state.Completed || EndIfBudgetSpent()) return;
        var ranked = TruncationSelection.Rank(_state.Members.Values);
        var k = TruncationSelection.QuantileCount(ranked.Length, _options.Quantile);
        if (k == 0) return;
        _state = _state with { Rounds = _state.Rounds + 1 };
        var top = ranked[..k];
        var bottom = ranked[^k..];
        var ready = CountBehindRounds(ranked, bottom);
        Log(EventKinds.Ranked, null, null,
            $"round {_state.Rounds}: {ranked.Length} ranked; top {List(top)}; bottom {List(bottom)}; ready in bottom: {(ready.IsEmpty ? "none" : string.Join(" ", ready))}");

        // Worst first, each with a partner drawn uniformly from the top.
        for (var i = bottom.Length - 1; i >= 0; i--)
        {
            if (!ready.Contains(bottom[i].Id)) continue;
            var weak = Member(bottom[i].Id);
            var strong = Member(top[Math.Min(k - 1, (int)(_random.NextDouble() * k))].Id);
            var decision = ExchangeRule.Decide(weak, strong, _options);
            switch (decision.Kind)
            {
                case ExchangeKind.Hyperparameters: ExchangeHyperparameters(weak, strong, decision.Reason); break;
                case ExchangeKind.Exploit: Exploit(weak, strong, decision.Reason); break;
                default: Log(EventKinds.SelectionSkipped, weak.Id, weak.Slot!.WorkerId, decision.Reason); break;
            }
        }
    }

    // A ready member's count grows in a round it spends in the bottom and resets in one it does
    // not; members that are not ready are left alone, since they could not have been replaced.
    private ImmutableArray<string> CountBehindRounds(ImmutableArray<PopulationMember> ranked, ImmutableArray<PopulationMember> bottom)
    {
        var readyInBottom = ImmutableArray.CreateBuilder<string>();
        foreach (var member in ranked)
        {
            if (!Readiness.IsReady(member, _now, _options)) continue;
            var behind = bottom.Any(b => b.Id == member.Id);
            Put(member with { BehindRounds = behind ? member.BehindRounds + 1 : 0 });
            if (behind) readyInBottom.Add(member.Id);
        }
        return readyInBottom.ToImmutable();
    }

    private void ExchangeHyperparameters(PopulationMember weak, PopulationMember strong, string reason)
    {
        var hyperparameters = strong.Hyperparameters with { Step = weak.Step };
        var workerId = weak.Slot!.WorkerId;
        var sequence = Log(EventKinds.Exchange, weak.Id, workerId, $"from {strong.Id}: {reason}");
        Emit(new ExchangeHyperparameters(weak.Id, workerId, strong.Id, hyperparameters) { Decision = sequence });
        Put(weak with
        {
            Hyperparameters = hyperparameters, ChangeStep = weak.Step, ReportedSinceChange = false,
            Change = new PendingChange(sequence, ExchangeKind.Hyperparameters, weak with { Change = null }),
        });
        AddLineage(sequence, weak, strong, ExchangeKind.Hyperparameters, strong.Step);
    }

    // The weak member becomes a copy of the strong one's checkpoint: that checkpoint is now also
    // where it resumes from after a worker loss, and its good state after a divergence.
    private void Exploit(PopulationMember weak, PopulationMember strong, string reason)
    {
        var source = strong.OwnCheckpoint!;
        var explored = Explorer.Explore(strong.Hyperparameters, _options, _random, source.Step);
        var workerId = weak.Slot!.WorkerId;
        var sequence = Log(EventKinds.Exploit, weak.Id, workerId,
            $"from {strong.Id} checkpoint step {source.Step}: {reason}; explored {explored.DescribeChange(strong.Hyperparameters)}");
        Emit(new ExploitCheckpoint(weak.Id, workerId, strong.Id, source, explored) { Decision = sequence });
        Put(weak with
        {
            Hyperparameters = explored,
            Step = source.Step,
            ChangeStep = source.Step,
            ReportedSinceChange = false,
            BehindRounds = 0,
            Checkpoint = source,
            GoodCheckpoint = source,
            LastFiniteStep = source.Step,
            ParentId = strong.Id,
            Change = new PendingChange(sequence, ExchangeKind.Exploit, weak with { Change = null }),
        });
        AddLineage(sequence, weak, strong, ExchangeKind.Exploit, source.Step);
    }

    // The worker could not carry out an exchange or exploit (it changed nothing there): the
    // member's record goes back to what it was before the decision, keeping the progress it has
    // reported since, and the copy leaves the lineage. A failure of an older decision, another
    // epoch or another worker changes nothing.
    private void OnChangeFailed(ChangeFailed e)
    {
        var member = FindMember(e.MemberId);
        var change = member?.Change;
        if (member is null || member.Epoch != e.Epoch || member.Slot?.WorkerId != e.WorkerId || change?.Decision != e.Decision)
        {
            Log(EventKinds.ReportRefused, e.MemberId, e.WorkerId, $"failure of decision #{e.Decision}: not the member's pending change under epoch {e.Epoch}");
            return;
        }
        var before = change.Before;
        Put(member with
        {
            Hyperparameters = before.Hyperparameters,
            ChangeStep = before.ChangeStep,
            ReportedSinceChange = before.ReportedSinceChange,
            Step = member.ReportedSinceChange ? member.Step : before.Step,
            BehindRounds = before.BehindRounds,
            Checkpoint = before.Checkpoint,
            GoodCheckpoint = before.GoodCheckpoint,
            LastFiniteStep = before.LastFiniteStep,
            ParentId = before.ParentId,
            Change = null,
        });
        _state = _state with { Lineage = _state.Lineage.RemoveAll(l => l.Sequence == e.Decision) };
        var (kind, what) = change.Kind == ExchangeKind.Exploit
            ? (EventKinds.ExploitFailed, "keeps its own weights and hyperparameters")
            : (EventKinds.ExchangeFailed, "keeps its own hyperparameters");
        Log(kind, e.MemberId, e.WorkerId, $"#{e.Decision} failed on {e.WorkerId}: {e.Reason}; {e.MemberId} {what}");
    }

    private void AddLineage(long sequence, PopulationMember weak, PopulationMember strong, ExchangeKind kind, long sourceStep) =>
        _state = _state with { Lineage = _state.Lineage.Add(new LineageEntry(sequence, _now, weak.Id, strong.Id, kind, weak.Step, sourceStep)) };

    private static string List(ImmutableArray<PopulationMember> members) =>
        string.Join(" ", members.Select(m => $"{m.Id}={m.LastReport!.ValidationLoss.ToString("G4", CultureInfo.InvariantCulture)}"));
}
