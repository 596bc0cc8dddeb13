using HyperSwarm.Coordinator.Sharding;

namespace HyperSwarm.Coordinator.Tests.Sharding;

public sealed class SlotMapTests
{
    private static SlotMap TwoSlots() => new([new WorkerSlots("w1", "w1:1", ["cuda:0", "cuda:0"], DateTimeOffset.UnixEpoch)]);

    [Fact]
    public void A_slot_holds_one_member()
    {
        var map = TwoSlots();
        map.Occupy("m00", new SlotRef("w1", 0, "cuda:0"));

        var error = Assert.Throws<InvalidOperationException>(() => map.Occupy("m01", new SlotRef("w1", 0, "cuda:0")));

        Assert.Equal("slot w1/0 (cuda:0) already holds m00; m01 cannot share it.", error.Message);
    }

    [Fact]
    public void A_member_holds_one_slot()
    {
        var map = TwoSlots();
        map.Occupy("m00", new SlotRef("w1", 0, "cuda:0"));

        Assert.Throws<InvalidOperationException>(() => map.Occupy("m00", new SlotRef("w1", 1, "cuda:0")));
    }

    [Fact]
    public void A_slot_of_an_unknown_worker_or_past_the_capacity_does_not_exist()
    {
        var map = TwoSlots();

        Assert.Throws<InvalidOperationException>(() => map.Occupy("m00", new SlotRef("w9", 0, "cuda:0")));
        Assert.Throws<InvalidOperationException>(() => map.Occupy("m00", new SlotRef("w1", 2, "cuda:0")));
    }

    [Fact]
    public void Releasing_frees_the_slot_and_a_clone_is_independent()
    {
        var map = TwoSlots();
        map.Occupy("m00", new SlotRef("w1", 0, "cuda:0"));
        var clone = map.Clone();

        map.Release("m00");

        Assert.Null(map.Occupant(new SlotRef("w1", 0, "cuda:0")));
        Assert.Equal(new SlotRef("w1", 0, "cuda:0"), map.FirstFreeSlot("w1"));
        Assert.Equal("m00", clone.Occupant(new SlotRef("w1", 0, "cuda:0")));
        Assert.Equal(1, clone.Load("w1"));
    }
}
