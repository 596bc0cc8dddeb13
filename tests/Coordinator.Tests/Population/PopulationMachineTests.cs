using HyperSwarm.Protocol.Hyperparameters;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Sharding;

namespace HyperSwarm.Coordinator.Tests.Population;

public sealed class PopulationMachineTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PopulationOptions Options = new() { Size = 4, ReadySteps = 100, TotalSteps = 1000 };

    private static PopulationMachine Started(params string[] workers)
    {
        var machine = new PopulationMachine(Options, new SplitMix64(1));
        machine.Apply(new RunStarted(T0));
        foreach (var worker in workers) machine.Apply(new WorkerJoined(T0, worker, worker + ":1", ["cuda:0", "cuda:1"]));
        return machine;
    }

    private static MemberReported Report(string worker, string member, long epoch, long step, double loss) =>
        new(T0.AddSeconds(step), worker, member, epoch, step, loss, loss, 0.5, null);

    [Fact]
    public void Run_started_creates_every_member_pending_with_its_hyperparameters()
    {
        var options = Options with { Space = [new HyperparameterRange("dropout", HyperparameterKind.Bounded, 0, 0.8, 0.5)] };
        var machine = new PopulationMachine(options, new SplitMix64(1));

        var output = machine.Apply(new RunStarted(T0));

        Assert.Equal(["m00", "m01", "m02", "m03"], machine.State.Members.Keys);
        Assert.All(machine.State.Members.Values, m => Assert.Equal(MemberStatus.Pending, m.Status));
        Assert.Equal(0.5, machine.State.Members["m00"].Hyperparameters.Values.Single().Value);
        Assert.Equal(4, output.Log.Count(e => e.Kind == EventKinds.MemberCreated));
        Assert.Empty(output.Commands);
    }

    [Fact]
    public void A_report_before_the_first_validation_is_no_divergence_but_a_NaN_train_loss_is()
    {
        // Workers report NaN validation figures until a member's first validation (docs/worker.md).
        var machine = Started("w1", "w2");
        var epoch = machine.State.Members["m00"].Epoch;

        var early = machine.Apply(new MemberReported(T0.AddSeconds(20), "w1", "m00", epoch, 20, 0.9, double.NaN, double.NaN, null));
        var member = machine.State.Members["m00"];

        Assert.DoesNotContain(early.Log, e => e.Kind == EventKinds.MemberDiverged);
        Assert.Equal(MemberStatus.Running, member.Status);
        Assert.Equal(20, member.Step);
        Assert.Null(member.LastReport); // nothing to rank it by yet

        var diverged = machine.Apply(new MemberReported(T0.AddSeconds(40), "w1", "m00", epoch, 40, double.NaN, double.NaN, double.NaN, null));

        Assert.Contains(diverged.Log, e => e.Kind == EventKinds.MemberDiverged && e.MemberId == "m00");
    }

    [Fact]
    public void A_second_run_started_is_refused()
    {
        var machine = Started();

        Assert.Throws<InvalidOperationException>(() => machine.Apply(new RunStarted(T0)));
    }

    [Fact]
    public void Log_entries_carry_the_event_time_and_consecutive_sequences()
    {
        var machine = Started("w1");

        var output = machine.Apply(new WorkerJoined(T0.AddMinutes(5), "w2", "w2:1", ["cuda:0", "cuda:1"]));

        Assert.All(output.Log, e => Assert.Equal(T0.AddMinutes(5), e.At));
        var sequences = output.Log.Select(e => e.Sequence).ToList();
        Assert.Equal(Enumerable.Range((int)sequences[0], sequences.Count).Select(i => (long)i), sequences);
        Assert.Equal(machine.State.Sequence, sequences[^1]);
    }

    [Fact]
    public void Every_start_raises_the_member_epoch_and_a_report_under_the_old_one_is_refused()
    {
        var machine = Started("w1", "w2");
        machine.Apply(new CheckpointWritten(T0, "w1", new CheckpointReference("m00", 100, "w1:1", "p", 1, "")));

        var lost = machine.Apply(new WorkerLost(T0, "w1", "heartbeat timeout"));
        machine.Apply(new WorkerJoined(T0, "w3", "w3:1", ["cuda:0", "cuda:1"]));
        var stale = machine.Apply(Report("w1", "m00", 1, 150, 0.3));

        Assert.Empty(lost.Commands.OfType<StartMember>()); // w2 is full: both wait for w3
        var m00 = machine.State.Members["m00"];
        Assert.Equal((2L, "w3"), (m00.Epoch, m00.Slot!.WorkerId));
        Assert.Null(m00.LastReport);
        Assert.Equal(EventKinds.ReportRefused, stale.Log.Single().Kind);
        Assert.Equal(new StopMember("m00", "w1", "fenced: m00 is assigned to w3 under epoch 2"), stale.Commands.Single());
    }

    [Fact]
    public void A_report_with_an_infinite_loss_restores_the_member_and_takes_it_out_of_the_ranking()
    {
        var machine = Started("w1", "w2");
        machine.Apply(Report("w1", "m00", 1, 100, 0.5));
        machine.Apply(new CheckpointWritten(T0, "w1", new CheckpointReference("m00", 100, "w1:1", "p", 1, "")));

        var output = machine.Apply(Report("w1", "m00", 1, 150, double.PositiveInfinity));

        var start = Assert.Single(output.Commands.OfType<StartMember>());
        Assert.Equal((2L, 100L), (start.Epoch, start.ResumeFrom!.Step));
        Assert.DoesNotContain(TruncationSelection.Rank(machine.State.Members.Values), m => m.Id == "m00");
    }

    [Fact]
    public void The_best_member_is_the_finished_one_with_the_lowest_loss()
    {
        var machine = Started("w1", "w2");
        machine.Apply(Report("w1", "m00", 1, 500, 0.1));   // lowest, but not finished
        machine.Apply(Report("w1", "m01", 1, 1000, 0.3));
        machine.Apply(Report("w2", "m02", 1, 1000, 0.2));

        Assert.Equal("m02", machine.State.Best()!.Id);
    }

    [Fact]
    public void The_run_completes_when_every_member_is_finished_or_failed()
    {
        var machine = Started("w1", "w2");
        machine.Apply(Report("w1", "m00", 1, 1000, 0.4));
        machine.Apply(Report("w1", "m01", 1, 1000, 0.3));
        machine.Apply(Report("w2", "m02", 1, 1000, 0.5));
        Assert.False(machine.State.Completed);

        var output = machine.Apply(new MemberFinished(T0, "w2", "m03", 1, 1000));

        Assert.True(machine.State.Completed);
        var completed = output.Log.Single(e => e.Kind == EventKinds.RunCompleted);
        Assert.Equal("m01", completed.MemberId);
    }

    [Fact]
    public void A_snapshot_with_two_members_in_one_slot_is_refused()
    {
        var machine = Started("w1");
        var state = machine.State;
        var m01 = state.Members["m01"] with { Slot = state.Members["m00"].Slot };
        var corrupt = state with { Members = state.Members.SetItem("m01", m01) };

        Assert.Throws<InvalidOperationException>(() => PopulationMachine.Restore(Options, corrupt));
    }

    [Fact]
    public void Weight_ancestry_follows_exploits_back_through_their_sources()
    {
        LineageEntry Entry(long sequence, string member, string source, ExchangeKind kind) =>
            new(sequence, T0, member, source, kind, 0, 0);
        var state = new PopulationState
        {
            Lineage =
            [
                Entry(1, "m01", "m00", ExchangeKind.Exploit),
                Entry(2, "m02", "m03", ExchangeKind.Hyperparameters),
                Entry(3, "m02", "m01", ExchangeKind.Exploit),
                Entry(4, "m01", "m03", ExchangeKind.Exploit), // after m02 copied m01: not m02's ancestry
            ],
        };

        Assert.Equal([3L, 1L], state.WeightAncestry("m02").Select(e => e.Sequence));
        Assert.Equal([2L, 3L], state.CopiesInto("m02").Select(e => e.Sequence));
        Assert.Equal([4L], state.CopiesFrom("m03").Where(e => e.Kind == ExchangeKind.Exploit).Select(e => e.Sequence));
    }

    [Fact]
    public void Invalid_options_are_refused_with_one_sentence()
    {
        var error = Assert.Throws<ArgumentException>(() => new PopulationMachine(Options with { Quantile = 0.7 }, new SplitMix64(1)));

        Assert.Equal("quantile must be in (0, 0.5], got 0.7.", error.Message);
    }

    [Fact]
    public void Only_running_members_occupy_slots()
    {
        var machine = Started("w1");
        machine.Apply(Report("w1", "m00", 1, 1000, 0.4)); // finishes; m02 takes its slot

        var running = machine.State.Members.Values.Where(m => m.Status == MemberStatus.Running).Select(m => m.Slot).ToList();

        Assert.Equal([new SlotRef("w1", 0, "cuda:0"), new SlotRef("w1", 1, "cuda:1")], running.OrderBy(s => s!.Index));
        Assert.Equal("m02", machine.State.Members.Values.Single(m => m.Slot == new SlotRef("w1", 0, "cuda:0") && m.Status == MemberStatus.Running).Id);
    }

    [Fact]
    public void A_checkpoint_notice_with_an_old_epoch_is_refused_when_the_notice_carries_one()
    {
        var machine = Started("w1", "w2");
        machine.Apply(Report("w1", "m00", 1, 100, 0.5));
        machine.Apply(new CheckpointWritten(T0, "w1", new CheckpointReference("m00", 100, "w1:1", "p", 1, ""), Epoch: 1));
        machine.Apply(new MemberFailed(T0, "w1", "m00", 1, "crashed")); // restarts under epoch 2

        var stale = machine.Apply(new CheckpointWritten(T0, "w1", new CheckpointReference("m00", 150, "w1:1", "p", 1, ""), Epoch: 1));

        Assert.Equal(EventKinds.CheckpointRefused, stale.Log.Single().Kind);
        Assert.Empty(stale.Commands);
        Assert.Equal(100, machine.State.Members["m00"].Checkpoint!.Step);
    }

    [Fact]
    public void The_coordinator_ends_the_run_when_its_budget_is_spent_and_every_member_counts_as_finished()
    {
        var options = Options with { Size = 6, Budget = TimeSpan.FromMinutes(15) };
        var machine = new PopulationMachine(options, new SplitMix64(1));
        machine.Apply(new RunStarted(T0));
        // Two workers of two slots: four members run, two wait for a slot.
        var joined = machine.Apply(new WorkerJoined(T0.AddSeconds(5), "w1", "w1:1", ["cuda:0", "cuda:1"]));
        machine.Apply(new WorkerJoined(T0.AddSeconds(5), "w2", "w2:1", ["cuda:0", "cuda:1"]));

        // Every start carries the run's budget and its end: the member's schedules follow it.
        var start = Assert.IsType<StartMember>(joined.Commands[0]);
        Assert.Equal(new RunWindow(TimeSpan.FromMinutes(15), T0.AddMinutes(15)), start.Window);

        var early = machine.Apply(new TimerTicked(T0.AddMinutes(14).AddSeconds(59)));
        Assert.DoesNotContain(early.Log, e => e.Kind == EventKinds.MemberFinished);
        Assert.False(machine.State.Completed);

        var spent = machine.Apply(new TimerTicked(T0.AddMinutes(15)));

        // Running members are stopped (each writes a checkpoint as it stops); none is started in a freed slot.
        var stops = spent.Commands.OfType<StopMember>().ToList();
        Assert.Equal(4, stops.Count);
        Assert.All(stops, s => Assert.Contains("budget of 15 min is spent", s.Reason, StringComparison.Ordinal));
        Assert.DoesNotContain(spent.Commands, c => c is StartMember);
        Assert.All(machine.State.Members.Values, m => Assert.Equal(MemberStatus.Finished, m.Status));
        Assert.Equal(6, spent.Log.Count(e => e.Kind == EventKinds.MemberFinished));
        Assert.Equal(2, spent.Log.Count(e => e.Kind == EventKinds.MemberFinished && e.Reason.Contains("never found a free slot", StringComparison.Ordinal)));
        Assert.True(machine.State.Completed);
        Assert.Single(spent.Log, e => e.Kind == EventKinds.RunCompleted);
    }

    [Fact]
    public void A_run_without_a_budget_sends_starts_without_a_window_and_ticks_never_end_it()
    {
        var machine = new PopulationMachine(Options, new SplitMix64(1));
        machine.Apply(new RunStarted(T0));
        var joined = machine.Apply(new WorkerJoined(T0, "w1", "w1:1", ["cuda:0", "cuda:1"]));

        var output = machine.Apply(new TimerTicked(T0.AddDays(30)));

        Assert.All(joined.Commands.OfType<StartMember>(), s => Assert.Null(s.Window));
        Assert.Equal(2, joined.Commands.OfType<StartMember>().Count());
        Assert.DoesNotContain(output.Log, e => e.Kind == EventKinds.MemberFinished);
        Assert.False(machine.State.Completed);
    }

    // m00 strong with a checkpoint, m03 far behind: the first tick exploits m00 into m03.
    private static (PopulationMachine Machine, ExploitCheckpoint Exploit, PopulationMember Before) Exploited()
    {
        var machine = Started("w1", "w2");
        var losses = new Dictionary<string, double> { ["m00"] = 0.2, ["m01"] = 0.5, ["m02"] = 0.6, ["m03"] = 1.0 };
        foreach (var (member, loss) in losses)
        {
            var worker = machine.State.Members[member].Slot!.WorkerId;
            machine.Apply(new CheckpointWritten(T0.AddSeconds(90), worker, new CheckpointReference(member, 100, worker + ":1", $"{member}/100", 1, ""), Epoch: 1));
            machine.Apply(Report(worker, member, 1, 100, loss));
        }
        var before = machine.State.Members["m03"];
        var tick = machine.Apply(new TimerTicked(T0.AddSeconds(120)));
        return (machine, Assert.Single(tick.Commands.OfType<ExploitCheckpoint>()), before);
    }

    [Fact]
    public void An_exploit_its_worker_could_not_carry_out_is_put_back_and_leaves_the_lineage()
    {
        var (machine, exploit, before) = Exploited();
        Assert.Equal(("m03", "m00"), (exploit.MemberId, exploit.SourceMemberId));
        Assert.True(exploit.Decision > 0);
        Assert.Equal("m00", machine.State.Members["m03"].ParentId);
        Assert.Single(machine.State.Lineage, l => l.Sequence == exploit.Decision);
        var worker = exploit.WorkerId;

        var output = machine.Apply(new ChangeFailed(T0.AddSeconds(125), worker, "m03", 1, exploit.Decision, "exploit: source checkpoint unreadable"));

        var after = machine.State.Members["m03"];
        Assert.Equal(before.Hyperparameters, after.Hyperparameters);
        Assert.Equal(before.Checkpoint, after.Checkpoint);
        Assert.Equal(before.GoodCheckpoint, after.GoodCheckpoint);
        Assert.Equal((before.Step, before.ChangeStep, before.ParentId), (after.Step, after.ChangeStep, after.ParentId));
        Assert.Null(after.Change);
        Assert.DoesNotContain(machine.State.Lineage, l => l.Sequence == exploit.Decision);
        var logged = Assert.Single(output.Log);
        Assert.Equal(EventKinds.ExploitFailed, logged.Kind);
        Assert.Equal($"#{exploit.Decision} failed on {worker}: exploit: source checkpoint unreadable; m03 keeps its own weights and hyperparameters", logged.Reason);
        Assert.Empty(output.Commands);
    }

    [Fact]
    public void A_failure_naming_another_decision_epoch_or_worker_changes_nothing()
    {
        var (machine, exploit, _) = Exploited();
        var exploited = machine.State.Members["m03"];
        var other = exploit.WorkerId == "w1" ? "w2" : "w1";

        foreach (var failure in new[]
        {
            new ChangeFailed(T0.AddSeconds(125), exploit.WorkerId, "m03", 1, exploit.Decision - 1, "exploit: old"),
            new ChangeFailed(T0.AddSeconds(125), exploit.WorkerId, "m03", 2, exploit.Decision, "exploit: other epoch"),
            new ChangeFailed(T0.AddSeconds(125), other, "m03", 1, exploit.Decision, "exploit: other worker"),
        })
        {
            var output = machine.Apply(failure);
            Assert.Equal(EventKinds.ReportRefused, Assert.Single(output.Log).Kind);
        }

        Assert.Equal(exploited, machine.State.Members["m03"]);
    }
}
