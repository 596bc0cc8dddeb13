using FsCheck;
using FsCheck.Fluent;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

public sealed class PopulationPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(200).WithEndSize(300);

    [Fact]
    public void No_member_is_ever_assigned_to_two_workers()
    {
        var property = Prop.ForAll(RandomHistory.Actions(), actions =>
        {
            var machine = new PopulationMachine(RandomHistory.Options, new SplitMix64(11));
            var world = new AssignmentWorld();
            RandomHistory.Play(machine, actions, input =>
            {
                // AssignmentWorld throws when a command would have a member trained twice.
                var output = world.Apply(machine, input);
                PopulationInvariants.Check(machine.State);
                return output;
            });
            // And the world the commands built is the one the state describes.
            var running = machine.State.Members.Values.Where(m => m.Status == MemberStatus.Running)
                .ToDictionary(m => m.Id, m => (m.Slot!.WorkerId, m.Slot.Index, m.Epoch));
            return running.Count == world.Running.Count
                && running.All(r => world.Running.TryGetValue(r.Key, out var w) && (w.Worker, w.Slot, w.Epoch) == r.Value);
        });
        Check.One(Config, property);
    }

    [Fact]
    public void Replaying_the_same_events_rebuilds_the_same_state_and_output()
    {
        var property = Prop.ForAll(RandomHistory.Actions(), actions =>
        {
            var original = new PopulationMachine(RandomHistory.Options, new SplitMix64(7));
            var outputs = new List<string>();
            var events = RandomHistory.Play(original, actions, input =>
            {
                var output = original.Apply(input);
                outputs.Add(Describe(output));
                return output;
            });

            var replayed = new PopulationMachine(RandomHistory.Options, new SplitMix64(7));
            var replayedOutputs = events.Select(e => Describe(replayed.Apply(e))).ToList();

            return PopulationJson.Serialize(original.State) == PopulationJson.Serialize(replayed.State)
                && outputs.SequenceEqual(replayedOutputs);
        });
        Check.One(Config, property);
    }

    [Fact]
    public void A_machine_restored_from_a_snapshot_continues_exactly_as_the_original()
    {
        var property = Prop.ForAll(RandomHistory.Actions(), Gen.Choose(0, 1000).ToArbitrary(), (actions, cut) =>
        {
            var original = new PopulationMachine(RandomHistory.Options, new SplitMix64(3));
            var events = RandomHistory.Play(original, actions, original.Apply);
            var split = cut % events.Count;

            // Snapshot after `split` events, through JSON and the log's own event encoding, as the store would.
            var first = new PopulationMachine(RandomHistory.Options, new SplitMix64(3));
            foreach (var e in events.Take(split)) first.Apply(e);
            var restored = PopulationMachine.Restore(RandomHistory.Options, PopulationJson.DeserializeState(PopulationJson.Serialize(first.State)));
            foreach (var e in events.Skip(split)) restored.Apply(PopulationJson.DeserializeInput(PopulationJson.Serialize(e)));

            return PopulationJson.Serialize(original.State) == PopulationJson.Serialize(restored.State);
        });
        Check.One(Config, property);
    }

    [Fact]
    public void Event_log_sequences_are_contiguous_and_the_ranking_never_holds_a_non_finite_loss()
    {
        var property = Prop.ForAll(RandomHistory.Actions(), actions =>
        {
            var machine = new PopulationMachine(RandomHistory.Options, new SplitMix64(5));
            var sequences = new List<long>();
            RandomHistory.Play(machine, actions, input =>
            {
                var output = machine.Apply(input);
                sequences.AddRange(output.Log.Select(e => e.Sequence));
                return output;
            });
            var ranked = TruncationSelection.Rank(machine.State.Members.Values);
            return sequences.SequenceEqual(Enumerable.Range(1, sequences.Count).Select(i => (long)i))
                && machine.State.Sequence == sequences.Count
                && ranked.All(m => double.IsFinite(m.LastReport!.ValidationLoss));
        });
        Check.One(Config, property);
    }

    private static string Describe(PopulationOutput output) =>
        string.Join('\n', output.Commands.Select(TranscriptFormat.Command).Concat(output.Log.Select(e => $"{e.Sequence} {e.At:O} {TranscriptFormat.Log(e)}")));
}
