using HyperSwarm.Coordinator.Sharding;

namespace HyperSwarm.Coordinator.Tests.Sharding;

public sealed class AllocatorTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    private static SlotMap Map(params (string Id, int Capacity, int Busy)[] workers)
    {
        var map = new SlotMap(workers.Select(w => new WorkerSlots(w.Id, w.Id + ":1", [.. Enumerable.Range(0, w.Capacity).Select(i => $"cuda:{i}")], T0)));
        foreach (var (id, _, busy) in workers)
        {
            for (var i = 0; i < busy; i++) map.Occupy($"{id}-m{i}", new SlotRef(id, i, $"cuda:{i}"));
        }
        return map;
    }

    [Fact]
    public void A_free_slot_goes_to_the_least_loaded_worker_by_fraction_of_slots_in_use()
    {
        // w1 is full; with the new member w2 would be at 3/4, w3 at 2/3: w3, at its lowest free slot.
        var map = Map(("w1", 1, 1), ("w2", 4, 2), ("w3", 3, 1));

        Assert.Equal(new SlotRef("w3", 1, "cuda:1"), Allocator.PickFreeSlot(map));
    }

    [Fact]
    public void Between_idle_workers_a_member_goes_where_it_fills_the_smaller_share()
    {
        var map = Map(("w1", 1, 0), ("w2", 4, 0));

        Assert.Equal("w2", Allocator.PickFreeSlot(map)!.WorkerId);
    }

    [Fact]
    public void Equally_loaded_workers_are_chosen_by_ordinal_id()
    {
        var map = Map(("wb", 2, 1), ("wa", 2, 1), ("wC", 2, 1));

        Assert.Equal("wC", Allocator.PickFreeSlot(map)!.WorkerId); // 'C' sorts before 'a' and 'b' in ordinal order
    }

    [Fact]
    public void There_is_no_free_slot_when_every_worker_is_full()
    {
        Assert.Null(Allocator.PickFreeSlot(Map(("w1", 2, 2), ("w2", 1, 1))));
        Assert.Null(Allocator.PickFreeSlot(Map()));
    }

    [Theory]
    [InlineData(4, 4, 4, 0, "w2")]  // 1/4 < 4/4
    [InlineData(2, 1, 2, 0, null)]  // 1/2 is not below 1/2: the move would only swap the imbalance
    [InlineData(1, 1, 1, 0, null)]  // 1/1 is not below 1/1
    [InlineData(4, 3, 4, 1, "w2")]  // 2/4 < 3/4
    [InlineData(4, 2, 4, 1, null)]  // 2/4 is not below 2/4
    public void A_move_must_leave_the_target_less_loaded_than_the_source_was(int sourceCapacity, int sourceBusy, int targetCapacity, int targetBusy, string? expected)
    {
        var map = Map(("w1", sourceCapacity, sourceBusy), ("w2", targetCapacity, targetBusy));

        Assert.Equal(expected, Allocator.MoveTarget(map, "w1")?.WorkerId);
    }

    [Fact]
    public void Planned_moves_balance_a_full_worker_with_a_new_empty_one()
    {
        var map = Map(("w1", 4, 4), ("w2", 4, 0));

        var moves = Allocator.PlanMoves(map, new HashSet<string>());

        Assert.Equal(["w1-m0", "w1-m1"], moves);
        Assert.Equal(4, map.Load("w1")); // planning does not touch the map
    }

    [Fact]
    public void Members_already_moving_count_as_moved_and_are_not_chosen_again()
    {
        var map = Map(("w1", 4, 4), ("w2", 4, 0));

        var moves = Allocator.PlanMoves(map, new HashSet<string> { "w1-m0" });

        Assert.Equal(["w1-m1"], moves);
    }

    [Fact]
    public void After_the_planned_moves_no_move_improves_the_balance()
    {
        var random = new Random(4);
        for (var trial = 0; trial < 500; trial++)
        {
            var workers = Enumerable.Range(0, random.Next(1, 6)).Select(i =>
            {
                var capacity = random.Next(1, 6);
                return ($"w{i}", capacity, random.Next(0, capacity + 1));
            }).ToArray();
            var map = Map(workers);

            foreach (var member in Allocator.PlanMoves(map, new HashSet<string>()))
            {
                var target = Allocator.MoveTarget(map, map.SlotOf(member)!.WorkerId)!;
                map.Release(member);
                map.Occupy(member, target);
            }

            Assert.All(map.Workers, w => Assert.True(map.Load(w.Id) == 0 || Allocator.MoveTarget(map, w.Id) is null, $"trial {trial}: {w.Id} could still shed a member"));
        }
    }
}
