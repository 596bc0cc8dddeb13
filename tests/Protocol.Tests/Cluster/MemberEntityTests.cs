using Akka.Actor;
using Akka.TestKit.Xunit2;
using HyperSwarm.Protocol.Cluster.Sharding;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Tests.Cluster;

/// <summary>A member's entity on its own: what reaches the worker's postbox, and what does not.</summary>
public sealed class MemberEntityTests : TestKit
{
    [Fact]
    public void Commands_go_to_the_postbox_of_the_worker_they_name_in_order_with_their_sender()
    {
        var directory = new PostboxDirectory();
        var w1 = CreateTestProbe();
        var w2 = CreateTestProbe();
        directory.Register("w1", w1.Ref);
        directory.Register("w2", w2.Ref);
        var entity = Sys.ActorOf(MemberEntity.Props(directory), "m03");

        for (var i = 1; i <= 3; i++) entity.Tell(Command("w1", i), TestActor);
        entity.Tell(Command("w2", 4), TestActor);

        Assert.Equal([1L, 2L, 3L], new[] { w1.ExpectMsg<CoordinatorCommand>(), w1.ExpectMsg<CoordinatorCommand>(), w1.ExpectMsg<CoordinatorCommand>() }.Select(c => c.Sequence));
        Assert.Equal(TestActor, w1.LastSender);
        Assert.Equal(4, w2.ExpectMsg<CoordinatorCommand>().Sequence);
    }

    [Fact]
    public void A_command_for_a_worker_without_a_postbox_here_is_dropped_with_a_warning()
    {
        var postbox = CreateTestProbe();
        var directory = new PostboxDirectory();
        directory.Register("w1", postbox.Ref);
        var entity = Sys.ActorOf(MemberEntity.Props(directory), "m04");

        EventFilter.Warning(contains: "names worker 'w9', which has no postbox on this node").ExpectOne(() => entity.Tell(Command("w9", 7)));
        entity.Tell(Command("w1", 8));

        // The next command for a worker that is here still arrives, and is the first the postbox sees.
        Assert.Equal(8, postbox.ExpectMsg<CoordinatorCommand>().Sequence);
    }

    private static CoordinatorCommand Command(string worker, long sequence) =>
        new() { WorkerId = worker, LeaseEpoch = 3, Sequence = sequence, CheckpointNow = new CheckpointNow { MemberId = "m03" } };
}
