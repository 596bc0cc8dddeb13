using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Checkpoints;
using static HyperSwarm.Coordinator.Tests.Store.Support.History;

namespace HyperSwarm.Coordinator.Tests.Store;

public sealed class CheckpointGcTests
{
    // m0 ──@200──▶ m1 (exploit at 3 s) ──@400──▶ m2 (exploit at 6 s)
    private static readonly CheckpointRecord[] Chain =
    [
        Checkpoint("m0", 100, 1), Checkpoint("m0", 200, 2), Checkpoint("m0", 300, 10),
        Checkpoint("m1", 100, 1), Checkpoint("m1", 300, 4), Checkpoint("m1", 400, 5), Checkpoint("m1", 500, 11),
        Checkpoint("m2", 100, 1), Checkpoint("m2", 500, 7),
    ];

    private static readonly LineageEdge[] ChainLineage = [Exploit("m1", "m0", 200, 3), Exploit("m2", "m1", 400, 6)];

    [Fact]
    public void Without_lineage_only_each_member_s_latest_checkpoint_survives()
    {
        CheckpointRecord[] registry = [Checkpoint("m0", 100, 1), Checkpoint("m0", 200, 2), Checkpoint("m0", 300, 3), Checkpoint("m1", 100, 1)];

        var garbage = CheckpointGc.SelectGarbage(registry, [], []);

        Assert.Equal([Key("m0", 100), Key("m0", 200)], garbage.Select(c => c.Key));
    }

    [Fact]
    public void The_source_of_an_exploit_in_flight_is_kept()
    {
        CheckpointRecord[] registry = [Checkpoint("m0", 100, 1), Checkpoint("m0", 200, 2), Checkpoint("m0", 300, 3)];

        var garbage = CheckpointGc.SelectGarbage(registry, [], [Key("m0", 200)]);

        Assert.Equal([Key("m0", 100)], garbage.Select(c => c.Key));
    }

    [Fact]
    public void Every_lineage_ancestor_of_a_latest_checkpoint_is_kept()
    {
        var garbage = CheckpointGc.SelectGarbage(Chain, ChainLineage, []);

        // Kept: the three latest, m1@400 (m2's source) and m0@200 (m1's source, so m2's grandparent).
        Assert.Equal([Key("m0", 100), Key("m1", 100), Key("m1", 300), Key("m2", 100)], garbage.Select(c => c.Key));
    }

    [Fact]
    public void A_pinned_checkpoint_keeps_its_ancestors_too()
    {
        var garbage = CheckpointGc.SelectGarbage(Chain, ChainLineage, [Key("m1", 300)]);

        Assert.Equal([Key("m0", 100), Key("m1", 100), Key("m2", 100)], garbage.Select(c => c.Key));
    }

    [Fact]
    public void An_exploit_source_goes_once_nothing_recorded_under_that_exploit_is_left()
    {
        CheckpointRecord[] registry =
        [
            Checkpoint("m0", 100, 0), Checkpoint("m0", 300, 5),
            Checkpoint("m1", 100, 1), Checkpoint("m1", 200, 4), Checkpoint("m1", 300, 7),
        ];
        LineageEdge[] lineage = [Exploit("m1", "m0", 100, 3), Exploit("m1", "m0", 300, 6)];

        // m1@100 predates both exploits, so pinning it keeps no source; m1@200 alone came from m0@100.
        var garbage = CheckpointGc.SelectGarbage(registry, lineage, [Key("m1", 100)]);

        Assert.Equal([Key("m0", 100), Key("m1", 200)], garbage.Select(c => c.Key));
    }

    [Fact]
    public void A_checkpoint_recorded_at_the_instant_of_an_exploit_descends_from_it()
    {
        CheckpointRecord[] registry = [Checkpoint("m0", 100, 0), Checkpoint("m0", 200, 1), Checkpoint("m1", 100, 2)];

        var garbage = CheckpointGc.SelectGarbage(registry, [Exploit("m1", "m0", 100, 2)], []);

        Assert.Empty(garbage);
    }

    [Fact]
    public void Collected_checkpoints_are_never_returned_but_still_pass_their_lineage_on()
    {
        var registry = Chain.Select(c => c.Key == Key("m1", 400) ? Checkpoint("m1", 400, 5, collected: true) : c).ToArray();

        var garbage = CheckpointGc.SelectGarbage(registry, ChainLineage, []);

        Assert.DoesNotContain(Key("m1", 400), garbage.Select(c => c.Key));
        Assert.DoesNotContain(Key("m0", 200), garbage.Select(c => c.Key));
    }

    [Fact]
    public void Latest_means_latest_live_so_a_collected_newest_step_does_not_count()
    {
        CheckpointRecord[] registry = [Checkpoint("m0", 100, 1), Checkpoint("m0", 200, 2), Checkpoint("m0", 300, 3, collected: true)];

        var garbage = CheckpointGc.SelectGarbage(registry, [], []);

        Assert.Equal([Key("m0", 100)], garbage.Select(c => c.Key));
    }

    [Fact]
    public void Keeping_two_per_member_also_keeps_the_one_before_the_latest()
    {
        CheckpointRecord[] registry = [Checkpoint("m0", 100, 1), Checkpoint("m0", 200, 2), Checkpoint("m0", 300, 3)];

        var garbage = CheckpointGc.SelectGarbage(registry, [], [], latestPerMember: 2);

        Assert.Equal([Key("m0", 100)], garbage.Select(c => c.Key));
    }

    [Fact]
    public void A_lineage_cycle_does_not_hang_the_walk()
    {
        CheckpointRecord[] registry = [Checkpoint("a", 1, 5), Checkpoint("b", 1, 5), Checkpoint("a", 0, 0)];
        LineageEdge[] cycle = [Exploit("a", "b", 1, 4), Exploit("b", "a", 1, 4)];

        Assert.Equal([Key("a", 0)], CheckpointGc.SelectGarbage(registry, cycle, []).Select(c => c.Key));
    }
}
