using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Cluster.Sharding;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Tests.Cluster;

/// <summary>Members as sharded entities: the extractor, the strategy, and commands crossing real nodes on loopback.</summary>
public sealed class MemberShardingTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly List<ActorSystem> systems = [];

    public void Dispose() => Task.WaitAll([.. systems.Select(s => s.Terminate())], TimeSpan.FromSeconds(20));

    [Fact]
    public void A_command_names_its_member_as_the_entity_and_its_lease_as_the_shard()
    {
        var extractor = new MemberCommandExtractor();
        CoordinatorCommand[] commands =
        [
            new() { LeaseEpoch = 12, Start = new StartMember { MemberId = "m01" } },
            new() { LeaseEpoch = 12, Stop = new StopMember { MemberId = "m02" } },
            new() { LeaseEpoch = 12, Exchange = new ExchangeHyperparameters { MemberId = "m03" } },
            new() { LeaseEpoch = 12, Exploit = new ExploitCheckpoint { MemberId = "m04" } },
            new() { LeaseEpoch = 12, CheckpointNow = new CheckpointNow { MemberId = "m05" } },
        ];

        Assert.Equal(["m01", "m02", "m03", "m04", "m05"], commands.Select(extractor.EntityId));
        Assert.All(commands, c => Assert.Equal("12", extractor.ShardId(c)));
        Assert.Equal("12", extractor.ShardId("m01", commands[0]));
        // Drain names no member: it is not sharded (it goes to the worker's postbox).
        Assert.Null(extractor.EntityId(new CoordinatorCommand { LeaseEpoch = 12, Drain = new Drain() }));
        Assert.Null(extractor.EntityId(new CoordinatorCommand { LeaseEpoch = 12, Start = new StartMember() }));
        Assert.Null(extractor.EntityId("not a command"));
        Assert.True(MemberCommandExtractor.TryParseShard("12", out var epoch));
        Assert.Equal(12, epoch);
        Assert.False(MemberCommandExtractor.TryParseShard("0", out _));
        Assert.False(MemberCommandExtractor.TryParseShard("-3", out _));
        Assert.False(MemberCommandExtractor.TryParseShard("w1#3", out _));
    }

    [Fact]
    public async Task The_strategy_drops_an_ended_lease_at_the_sender_retries_an_unknown_one_and_never_rebalances()
    {
        var system = Track(ActorSystem.Create("strategy"));
        var requester = system.ActorOf(Props.Empty, "requester");
        var other = system.ActorOf(Props.Empty, "other");
        var ended = new LeaseLocation(new Address("akka.tcp", "hyperswarm", "10.0.0.9", 7072), Ended: true);
        var strategy = new LeaseAllocationStrategy(system, epoch => epoch == 5 ? ended : null);
        var allocations = ImmutableDictionary<IActorRef, IImmutableList<string>>.Empty
            .Add(requester, ImmutableList.Create("1"))
            .Add(other, ImmutableList.Create("2", "3"));

        Assert.Same(requester, await strategy.AllocateShard(requester, "5", allocations));
        Assert.Same(requester, await strategy.AllocateShard(requester, "not-a-lease", allocations));
        // A lease not known (yet) is pinned nowhere: the allocation fails and the sender asks again.
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => strategy.AllocateShard(requester, "7", allocations));
        Assert.Contains("lease 7 is not known", unknown.Message, StringComparison.Ordinal);
        Assert.Empty(await strategy.Rebalance(allocations, ImmutableHashSet<string>.Empty));
    }

    [Fact]
    public async Task Commands_sent_to_the_coordinators_region_reach_the_postbox_of_the_leases_worker_in_order()
    {
        var coordinator = Start(ClusterBootstrap.CoordinatorRole);
        var leases = new ConcurrentDictionary<long, LeaseLocation>();
        var region = MemberSharding.StartRegion(coordinator, new PostboxDirectory(), e => leases.GetValueOrDefault(e));
        using var watch = new ClusterWatch(coordinator);
        var (a, aInbox) = StartWorker("wa", coordinator);
        var (b, bInbox) = StartWorker("wb", coordinator);
        await watch.UpAsync(m => m.Address == Akka.Cluster.Cluster.Get(a).SelfAddress, Limit);
        await watch.UpAsync(m => m.Address == Akka.Cluster.Cluster.Get(b).SelfAddress, Limit);
        leases[5] = new LeaseLocation(Akka.Cluster.Cluster.Get(a).SelfAddress, Ended: false);

        // Lease 6's commands are sent before the coordinator knows where it lives (as a command
        // could race a restart): they wait and arrive once it does, not on the wrong node.
        for (var i = 1; i <= 20; i++)
        {
            // Two members on each lease, their commands interleaved.
            region.Tell(Command(5, "wa", i, i % 2 == 0 ? "m00" : "m01"));
            region.Tell(Command(6, "wb", i, i % 2 == 0 ? "m02" : "m03"));
        }

        var atA = await aInbox.TakeAsync(20, Limit);
        leases[6] = new LeaseLocation(Akka.Cluster.Cluster.Get(b).SelfAddress, Ended: false);
        var atB = await bInbox.TakeAsync(20, Limit);
        Assert.All(atA, c => Assert.Equal((5L, "wa"), (c.LeaseEpoch, c.WorkerId)));
        Assert.All(atB, c => Assert.Equal((6L, "wb"), (c.LeaseEpoch, c.WorkerId)));
        // One entity per member keeps that member's commands in the order they were sent.
        foreach (var member in new[] { "m00", "m01" })
        {
            var sequences = atA.Where(c => c.CheckpointNow.MemberId == member).Select(c => c.Sequence).ToList();
            Assert.Equal(10, sequences.Count);
            Assert.Equal(sequences.Order(), sequences);
        }

        var hosted = await ClusterSharding.Get(a).ShardRegion(MemberSharding.TypeName)
            .Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Limit);
        var shard = Assert.Single(hosted.Shards);
        Assert.Equal("5", shard.ShardId);
        Assert.Equal(["m00", "m01"], shard.EntityIds.Order(StringComparer.Ordinal));
        // The coordinator's own region hosts no member.
        var own = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Limit);
        Assert.Empty(own.Shards);
    }

    private static CoordinatorCommand Command(long lease, string worker, long sequence, string member) =>
        new() { LeaseEpoch = lease, WorkerId = worker, Sequence = sequence, CheckpointNow = new CheckpointNow { MemberId = member } };

    private (ActorSystem System, Inbox Inbox) StartWorker(string workerId, ActorSystem coordinator)
    {
        var self = Akka.Cluster.Cluster.Get(coordinator).SelfAddress;
        var system = Start(ClusterBootstrap.WorkerRole, $"{self.Host}:{self.Port}");
        var inbox = new Inbox();
        var directory = new PostboxDirectory();
        directory.Register(workerId, system.ActorOf(Props.Create(() => new Catcher(inbox)), "worker"));
        MemberSharding.StartWorkerRegion(system, directory);
        return (system, inbox);
    }

    private ActorSystem Start(string role, params string[] seeds) =>
        Track(ClusterBootstrap.Start(new ClusterNodeOptions { Roles = [role], Security = ClusterSecurity.Open, SeedNodes = seeds }));

    private ActorSystem Track(ActorSystem system)
    {
        systems.Add(system);
        return system;
    }

    private sealed class Inbox
    {
        private readonly ConcurrentQueue<CoordinatorCommand> received = new();
        private readonly SemaphoreSlim arrived = new(0);

        public void Add(CoordinatorCommand command)
        {
            received.Enqueue(command);
            arrived.Release();
        }

        public async Task<List<CoordinatorCommand>> TakeAsync(int count, TimeSpan within)
        {
            using var deadline = new CancellationTokenSource(within);
            for (var i = 0; i < count; i++) await arrived.WaitAsync(deadline.Token);
            return [.. received];
        }
    }

    private sealed class Catcher : ReceiveActor
    {
        public Catcher(Inbox inbox) => Receive<CoordinatorCommand>(inbox.Add);
    }
}
