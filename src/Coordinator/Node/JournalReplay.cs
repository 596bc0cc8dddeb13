using System.Text.Json;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// Rebuilds a node's memory from its store: the latest snapshot, then every input in the rows
/// after it, applied to a restored machine. Each replayed input must log exactly the entries
/// stored after it: a mismatch means the log and the machine disagree (a corrupt store, or
/// rules changed under a running population), and the node refuses to start rather than guess.
/// </summary>
internal static class JournalReplay
{
    /// <summary>What a replay rebuilt; <see cref="Machine"/> is null for a store that holds no run yet.</summary>
    public sealed record Result(PopulationMachine? Machine, long LastSequence, long LastIssuedEpoch, long? SnapshotSequence);

    public static async Task<Result> RunAsync(IPopulationStore store, CancellationToken cancellationToken)
    {
        var replay = await PopulationReplay.RunAsync(store, Restore, (state, row) => state.Apply(row), cancellationToken);
        var folded = replay.State;
        if (folded.Expected.Count > 0)
            throw new InvalidOperationException($"The population log ends inside an input's entries (expected {folded.Expected.Peek()} after sequence {replay.LastSequence}).");
        return new Result(folded.Machine, replay.LastSequence, folded.LastIssuedEpoch, replay.SnapshotSequence);
    }

    private static Folded Restore(StoredSnapshot? snapshot)
    {
        if (snapshot is null) return new Folded(null, 0);
        var restored = NodeSnapshot.Deserialize(snapshot.SnapshotJson);
        return new Folded(PopulationMachine.Restore(restored.Options, restored.State), restored.LastIssuedEpoch);
    }

    private sealed class Folded(PopulationMachine? machine, long lastIssuedEpoch)
    {
        public PopulationMachine? Machine { get; } = machine;

        public long LastIssuedEpoch { get; private set; } = lastIssuedEpoch;

        public Queue<string> Expected { get; } = new();

        public Folded Apply(StoredEvent row)
        {
            using var payload = JsonDocument.Parse(row.PayloadJson);
            var root = payload.RootElement;
            if (!root.TryGetProperty("input", out var input))
            {
                // An entry row that follows its input's first row.
                if (!Expected.TryDequeue(out var kind) || kind != row.Kind)
                    throw Diverged(row, kind ?? "an input");
                return this;
            }
            if (Expected.TryPeek(out var missing)) throw Diverged(row, missing);
            // New runs are snapshotted right after run_started, so a log always starts from one.
            var machine = Machine ?? throw new InvalidOperationException($"The population log has events but no snapshot (sequence {row.Sequence}); the store is incomplete.");
            var output = machine.Apply(PopulationJson.DeserializeInput(input.GetRawText()));
            var first = output.Log.IsEmpty ? PopulationJournal.InputKind : output.Log[0].Kind;
            if (first != row.Kind) throw Diverged(row, first);
            for (var i = 1; i < output.Log.Length; i++) Expected.Enqueue(output.Log[i].Kind);
            if (root.TryGetProperty("lease", out var lease)) LastIssuedEpoch = Math.Max(LastIssuedEpoch, lease.GetInt64());
            return this;
        }

        private static InvalidOperationException Diverged(StoredEvent row, string expected) =>
            new($"Replaying the population log diverged at sequence {row.Sequence}: stored '{row.Kind}', the machine gives '{expected}'.");
    }
}
