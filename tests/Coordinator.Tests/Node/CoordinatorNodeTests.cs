using HyperSwarm.Coordinator.Node;
using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Node;

public sealed class CoordinatorNodeTests
{
    [Fact]
    public async Task A_joining_worker_gets_a_lease_the_run_config_and_a_start_for_each_of_its_slots()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(2));

        var worker = await harness.WorkerAsync("w1", capacity: 2);
        var m00 = await worker.StartOfAsync("m00");
        var m01 = await worker.StartOfAsync("m01");

        Assert.Equal(1, worker.Lease.Epoch);
        Assert.Equal("w1#1", worker.Lease.LeaseId);
        Assert.Equal(1000, worker.Lease.HeartbeatIntervalMs);
        Assert.Equal(("run-test", "seed: 7\n"), (worker.Run.RunId, worker.Run.ConfigYaml));
        Assert.Equal((1L, 1L), (m00.Start.Epoch, m01.Start.Epoch));
        Assert.Equal("cpu", m00.Start.Device);
        Assert.Null(m00.Start.ResumeFrom);
        // Numbered within the lease, and sent as commands of that lease and worker. Each member's
        // commands keep their order (one entity each); two members' may arrive either way.
        Assert.Equal([1L, 2L], worker.Commands.Items.Select(c => c.Sequence).Order());
        Assert.All(worker.Commands.Items, c => Assert.Equal((1L, "w1"), (c.LeaseEpoch, c.WorkerId)));
        // They came through the members' entities: one shard for the lease, on the worker's node.
        var hosted = await worker.HostedAsync();
        Assert.Equal(["m00", "m01"], Assert.Single(hosted, s => s.Key == "1").Value);
        var started = await harness.Events.WaitForAsync(e => e.Kind == "member_started" && e.MemberId == "m01", "m01 started");
        Assert.Equal("w1", started.WorkerId);
        Assert.Equal(MemberState.Running, started.Member.State);
    }

    [Fact]
    public async Task A_worker_whose_cluster_node_speaks_another_transport_is_refused_in_one_sentence_and_the_run_goes_on()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1));
        // A worker given the cluster token (TLS) joining a coordinator started without it: the
        // coordinator cannot address its node at all, and used to crash on the attempt.
        var request = new JoinRequest
        {
            WorkerId = "tls", Capacity = 1, Address = "tls:7071", Version = "test",
            ClusterAddress = "akka.ssl.tcp://hyperswarm@127.0.0.1:1", ClusterUid = 1,
        };
        request.Devices.Add(new Device { Name = "cpu", Kind = "cpu" });

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new Protocol.V1.Coordinator.CoordinatorClient(harness.Observer).JoinAsync(request));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("Worker 'tls' cannot join: its cluster node speaks akka.ssl.tcp and this coordinator's akka.tcp: start both with the cluster token, or both without.", refused.Status.Detail);
        var worker = await harness.WorkerAsync("w1", capacity: 1);
        Assert.Equal("m00", (await worker.StartOfAsync("m00")).Start.MemberId);
    }

    [Fact]
    public async Task Reports_move_their_members_and_a_report_under_a_stale_member_epoch_is_refused()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(2));
        var worker = await harness.WorkerAsync("w1", capacity: 2);
        await worker.StartOfAsync("m01");

        await worker.ReportAsync("m00", epoch: 1, step: 50, validationLoss: 0.5);
        await worker.ReportAsync("m01", epoch: 7, step: 80, validationLoss: 0.2);
        await worker.SyncAsync(harness.Events);
        var population = await harness.PopulationAsync();

        var m00 = population.Members.Single(m => m.MemberId == "m00");
        var m01 = population.Members.Single(m => m.MemberId == "m01");
        Assert.Equal((50L, 0.5, "w1", MemberState.Running), (m00.Step, m00.ValidationLoss, m00.WorkerId, m00.State));
        Assert.Equal(0L, m01.Step);
        var refused = await harness.Events.WaitForAsync(e => e.Kind == "report_refused" && e.MemberId == "m01", "m01 refused");
        Assert.Contains("epoch 7", refused.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, "exploit")]
    [InlineData(0.105, "exchange")]
    public async Task A_selection_round_sends_the_weak_members_worker_its_exchange_or_exploit(double weakLoss, string kind)
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(2, readySteps: 100));
        var w1 = await harness.WorkerAsync("w1", capacity: 1);
        var w2 = await harness.WorkerAsync("w2", capacity: 1);
        await w1.StartOfAsync("m00");
        await w2.StartOfAsync("m01");

        await w1.ReportAsync("m00", 1, step: 100, validationLoss: 0.1);
        await w1.CheckpointAsync("m00", 1, step: 100);
        await w2.ReportAsync("m01", 1, step: 100, validationLoss: weakLoss);
        await w1.SyncAsync(harness.Events);
        await w2.SyncAsync(harness.Events);
        harness.Time.Advance(TimeSpan.FromSeconds(10));

        var decision = await harness.Events.WaitForAsync(e => e.Kind == kind, kind);
        Assert.Equal(("m01", "w2"), (decision.MemberId, decision.WorkerId));
        var command = await w2.WaitForAsync(c => c.Exploit is not null || c.Exchange is not null, "an exchange or exploit");
        if (kind == "exploit")
        {
            Assert.Equal(("m01", "m00", 100L), (command.Exploit.MemberId, command.Exploit.Source.MemberId, command.Exploit.Source.Step));
            Assert.Equal("/ckpt/m00/100", command.Exploit.Source.Path);
        }
        else
        {
            Assert.Equal(("m01", "m00"), (command.Exchange.MemberId, command.Exchange.SourceMemberId));
        }
        Assert.DoesNotContain(w1.Commands.Items, c => c.Exploit is not null || c.Exchange is not null);
        var population = await harness.PopulationAsync();
        Assert.Equal(kind == "exploit" ? "m00" : "", population.Members.Single(m => m.MemberId == "m01").ParentMemberId);
    }

    [Fact]
    public async Task A_worker_that_joins_again_fences_its_old_lease_and_anything_sent_under_it()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1));
        var worker = await harness.WorkerAsync("w1", capacity: 1);
        await worker.StartOfAsync("m00", epoch: 1);
        var oldEpoch = worker.Lease.Epoch;
        var oldSession = worker.SessionEnded;

        await using var restarted = new FakeWorker(harness.Node.Address, "w1", 1);
        await restarted.JoinAsync();
        var ended = await oldSession;
        // The old incarnation's report after the fence is not applied.
        await restarted.OpenSessionAsync();
        await restarted.StartOfAsync("m00", epoch: 2);
        await worker.OpenSessionAsync(oldEpoch);
        var refused = await worker.SessionEnded;

        Assert.Equal(2, restarted.Lease.Epoch);
        Assert.Equal(oldEpoch, ended.LeaseEpoch);
        Assert.Contains("lease epoch 1 is fenced", ended.Reason, StringComparison.Ordinal);
        Assert.Equal(oldEpoch, refused.LeaseEpoch);
        Assert.Contains("fenced", refused.Reason, StringComparison.Ordinal);
        await harness.Events.WaitForAsync(e => e.Kind == "worker_rejoined" && e.WorkerId == "w1", "w1 rejoined");
    }

    [Fact]
    public async Task A_message_under_an_epoch_never_issued_ends_that_lease_and_garbage_goes_no_further()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1));
        var worker = await harness.WorkerAsync("w1", capacity: 1, open: false);

        await worker.OpenSessionAsync(epoch: 99);
        var unknown = await worker.SessionEnded;
        await worker.OpenSessionAsync();
        await worker.SendAsync(new WorkerMessage { Report = new MemberReport { MemberId = "", Step = 1 } });
        await worker.SendAsync(new WorkerMessage());
        // Sent after the garbage: once it is applied, the garbage was handled (and refused).
        await worker.SyncAsync(harness.Events);

        Assert.Equal(99, unknown.LeaseEpoch);
        Assert.Contains("epoch 99 was not issued", unknown.Reason, StringComparison.Ordinal);
        // The live lease is untouched: nothing ended it, and nothing of the garbage got in.
        Assert.DoesNotContain(worker.Ends.Items, e => e.Ended.LeaseEpoch == worker.Lease.Epoch);
        Assert.DoesNotContain(harness.Events.Events.Items, e => e.Kind == "report_refused" && e.MemberId.Length == 0);
    }

    [Fact]
    public async Task A_member_that_ends_on_its_worker_is_finished_or_restarted_at_once()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(2));
        var worker = await harness.WorkerAsync("w1", capacity: 2);
        await worker.StartOfAsync("m00", epoch: 1);
        await worker.StartOfAsync("m01", epoch: 1);

        await worker.SendAsync(new WorkerMessage { Ended = new MemberEnded { MemberId = "m00", Epoch = 1, Outcome = MemberEnded.Types.Outcome.Finished, Step = 50 } });
        await worker.SendAsync(new WorkerMessage { Ended = new MemberEnded { MemberId = "m01", Epoch = 1, Outcome = MemberEnded.Types.Outcome.NotStarted, Reason = "no free slot on 'cpu'" } });
        var finished = await harness.Events.WaitForAsync(e => e.Kind == "member_finished" && e.MemberId == "m00", "m00 finished");
        var restarted = await worker.StartOfAsync("m01", epoch: 2);
        // The command comes over Akka, the event over WatchEvents: either may be first.
        await harness.Events.WaitForAsync(e => e.MemberId == "m01" && e.Reason.Contains("could not be started on w1: no free slot on 'cpu'", StringComparison.Ordinal), "m01's failed start");

        Assert.Contains("finished at step 50", finished.Reason, StringComparison.Ordinal);
        Assert.Equal(2, restarted.Start.Epoch);
        // No stop for m00: the worker ended it itself.
        Assert.DoesNotContain(worker.Commands.Items, c => c.Stop?.MemberId == "m00");
    }

    [Fact]
    public async Task Without_the_cluster_token_nothing_gets_in()
    {
        var token = new ClusterToken("0123456789abcdef-token");
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1),
            o => o with { Server = o.Server with { Token = token } });
        await using var stranger = new FakeWorker(harness.Node.Address, "w9", 1);
        await using var member = new FakeWorker(harness.Node.Address, "w1", 1, token);

        var refused = await Assert.ThrowsAsync<RpcException>(stranger.JoinAsync);
        var lease = await member.JoinAsync();
        // The token secures Akka.Remote too (mutual TLS from it): the member's node gets in, and
        // its first message is applied (a node without the token fails the handshake:
        // ClusterBootstrapTests).
        await member.OpenSessionAsync();
        await member.StartOfAsync("m00", epoch: 1);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal(1, lease.Epoch);
        Assert.StartsWith("akka.ssl.tcp://", harness.Node.ClusterSeed, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Node.Population.State.Workers.Keys, w => w == "w9");
    }

    [Fact]
    public async Task A_join_that_makes_no_sense_is_an_invalid_argument()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(1));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Protocol.V1.Coordinator.CoordinatorClient(harness.Observer).JoinAsync(new JoinRequest { WorkerId = "w1", Capacity = -1 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("capacity", error.Status.Detail, StringComparison.Ordinal);
    }
}
