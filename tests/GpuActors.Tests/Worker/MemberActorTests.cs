using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Configuration;
using Google.Protobuf;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Tests.Training;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Tests.Worker;

// A member actor is the only owner of its model: it trains one step per message on a thread of
// its own, applies commands between steps in the order sent, and gives every tensor back when
// it ends, however it ends. Each test runs its own actor system, built from the worker's HOCON.
public sealed class MemberActorTests : Akka.TestKit.Xunit2.TestKit
{
    private const string OwnAddress = "127.0.0.1:1"; // never dialled: it only marks "this worker"
    private readonly SyntheticImages data = new();
    private readonly TempDirectory runs = new();
    private readonly CheckpointFetcher fetcher = new();
    private readonly Channel<MemberEvent> events = Channel.CreateUnbounded<MemberEvent>();
    private readonly CheckpointRoot root;

    public MemberActorTests()
        : base(WorkerActorSystem.Config, WorkerActorSystem.Name)
    {
        root = new CheckpointRoot(runs.File("root"));
    }

    [Fact]
    public async Task A_member_trains_on_its_own_thread_and_obeys_commands_in_order()
    {
        var live = Torch.Torch.LiveTensors;
        var member = Spawn("m1");
        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory)));
        var started = await WorkerRuns.NextAsync<MemberEvent.Started>(events.Reader);
        var state = (await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader)).Report.Hyperparameters;
        var (x, y) = (WithLambda(state, 0.5), WithLambda(state, -0.75));

        // A weight step's checkpoint is written once: the second exchange waits for the first
        // checkpoint, so at least one step lies between them and the second checkpoint can hold it.
        member.Tell(new MemberMessage.Exchange(x, "m7"));
        member.Tell(new MemberMessage.CheckpointNow());
        var first = await WorkerRuns.NextAsync<MemberEvent.Checkpointed>(events.Reader);
        member.Tell(new MemberMessage.Exchange(y, "m8"));
        member.Tell(new MemberMessage.CheckpointNow());
        member.Tell(new MemberMessage.Stop("test"));
        var rest = await WorkerRuns.UntilEndedAsync(events.Reader);
        await ExpectTerminatedAsync(member, WorkerRuns.Patience);

        var checkpoints = rest.OfType<MemberEvent.Checkpointed>().Select(c => c.Checkpoint).Prepend(first.Checkpoint).ToList();
        var ended = (MemberEvent.Ended)rest[^1];
        Assert.NotEqual(Environment.CurrentManagedThreadId, started.ManagedThreadId);
        Assert.Equal(0, started.Step);
        Assert.Empty(rest.OfType<MemberEvent.CommandFailed>());
        Assert.Equal(3, checkpoints.Count); // two asked for, one at the stop
        Assert.Equal([0.5f, -0.75f, -0.75f], checkpoints.Select(c => WorkerRuns.Lambda(c.Path)));
        Assert.True(checkpoints[0].Step < checkpoints[1].Step && checkpoints[1].Step <= checkpoints[2].Step);
        Assert.All(checkpoints, c => Assert.Equal(c.Sha256.ToByteArray(), SHA256.HashData(File.ReadAllBytes(c.Path)))); // every reference still holds
        Assert.All(checkpoints, c => Assert.Equal(OwnAddress, c.WorkerAddress));
        Assert.Null(ended.Error);
        Assert.Equal(TrainingRun.StoppedByOwner, ended.Result!.StoppedBy);
        Assert.Equal(ended.Result.WeightSteps, checkpoints[2].Step);
        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public async Task Every_step_of_a_member_runs_on_the_one_dedicated_thread_it_started_on()
    {
        var steps = new ConcurrentQueue<(long Step, int Thread, bool Pooled)>();
        var observer = new TrainingObserver { Step = (step, _, _) => steps.Enqueue((step, Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread)) };
        var member = Spawn("m1", observer: observer);

        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory)));
        var started = await WorkerRuns.NextAsync<MemberEvent.Started>(events.Reader);
        await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader, r => r.Report.Step >= 6);
        member.Tell(new MemberMessage.CheckpointNow()); // a command in between: still the same thread after it
        await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader, r => r.Report.Step >= 10);
        member.Tell(new MemberMessage.Stop("test"));
        await WorkerRuns.UntilEndedAsync(events.Reader);

        Assert.True(steps.Count >= 10, $"{steps.Count} steps");
        Assert.All(steps, s => Assert.Equal(started.ManagedThreadId, s.Thread));
        Assert.All(steps, s => Assert.False(s.Pooled, "a member steps on its own thread, not the pool's"));
        Assert.NotEqual(Environment.CurrentManagedThreadId, started.ManagedThreadId);
    }

    [Fact]
    public async Task A_command_sent_during_a_step_takes_effect_before_the_next_step_and_the_runs_own_next_checkpoint()
    {
        // Arrange: the command arrives mid-step (told from inside step 4, on the member's thread);
        // the run checkpoints by itself every 10 steps.
        IActorRef? member = null;
        var observer = new TrainingObserver
        {
            Step = (step, hyper, _) =>
            {
                if (step == 4 && !hyper) member!.Tell(new MemberMessage.CheckpointNow());
            },
        };
        var config = WorkerRuns.Frozen(data.Directory) with { Reporting = new ReportingConfig { LogEverySteps = 5, CheckpointEverySteps = 10 } };
        member = Spawn("m1", observer: observer);

        // Act
        member.Tell(new MemberMessage.Start(config));
        var seen = await WorkerRuns.UntilAsync(events.Reader, e => e is MemberEvent.Checkpointed { Checkpoint.Step: 10 });
        member.Tell(new MemberMessage.Stop("test"));
        await WorkerRuns.UntilEndedAsync(events.Reader);

        // Assert: reports every 2 steps; the checkpoint asked for lands right after step 4, before
        // step 6's report and long before the run's own at step 10.
        Assert.Equal(["started 0", "reported 2", "reported 4", "checkpointed 4", "reported 6", "reported 8", "checkpointed 10"], seen.Select(Describe));
    }
    [Fact]
    public async Task A_member_started_from_a_checkpoint_goes_on_from_its_step()
    {
        var source = Checkpoint(new RunDirectory(root.MemberDirectory("m1")), WorkerRuns.Frozen(data.Directory, maxSteps: 7));
        var member = Spawn("m1");

        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory), ResumeFrom: source));
        var started = await WorkerRuns.NextAsync<MemberEvent.Started>(events.Reader);
        var report = await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader);
        member.Tell(new MemberMessage.Stop("test"));
        var ended = (MemberEvent.Ended)(await WorkerRuns.UntilEndedAsync(events.Reader))[^1];

        Assert.Equal(7, started.Step);
        Assert.Equal(8, report.Report.Step); // reports every 2 steps: the first after 7 is 8
        Assert.True(ended.Result!.WeightSteps >= 8);
    }

    [Fact]
    public async Task Commands_sent_while_the_resume_checkpoint_is_fetched_wait_for_the_start_and_apply_in_order()
    {
        var source = Checkpoint(new RunDirectory(root.MemberDirectory("m1")), WorkerRuns.Frozen(data.Directory, maxSteps: 5));
        var member = Spawn("m1");

        // Sent while the fetch (a checksum over the file, off the member's thread) is under way:
        // neither is refused as "not training", and both come after the start.
        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory), ResumeFrom: source));
        member.Tell(new MemberMessage.CheckpointNow());
        member.Tell(new MemberMessage.Stop("test"));
        var seen = await WorkerRuns.UntilEndedAsync(events.Reader);

        Assert.Equal(5, Assert.IsType<MemberEvent.Started>(seen[0]).Step);
        Assert.DoesNotContain(seen, e => e is MemberEvent.CommandFailed);
        var checkpoints = seen.OfType<MemberEvent.Checkpointed>().Select(c => c.Checkpoint.Step).ToList();
        var ended = (MemberEvent.Ended)seen[^1];
        Assert.Equal(2, checkpoints.Count); // asked for, then at the stop
        Assert.Equal(TrainingRun.StoppedByOwner, ended.Result!.StoppedBy);
        Assert.Equal(ended.Result.WeightSteps, checkpoints[1]);
    }

    [Fact]
    public async Task A_resume_checkpoint_that_differs_from_its_reference_ends_the_member_naming_member_and_file()
    {
        var source = Checkpoint(new RunDirectory(root.MemberDirectory("m1")), WorkerRuns.Frozen(data.Directory, maxSteps: 3));
        source.Sha256 = ByteString.CopyFrom(new byte[32]);
        var live = Torch.Torch.LiveTensors;
        var member = Spawn("m1");

        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory), ResumeFrom: source));
        var seen = await WorkerRuns.UntilEndedAsync(events.Reader);
        await ExpectTerminatedAsync(member, WorkerRuns.Patience);

        var error = Assert.IsType<CheckpointException>(((MemberEvent.Ended)Assert.Single(seen)).Error);
        Assert.Contains("member m1", error.Message, StringComparison.Ordinal);
        Assert.Equal(source.Path, error.Path);
        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public async Task A_truncated_resume_checkpoint_falls_back_to_the_newest_valid_older_one()
    {
        var config = WorkerRuns.Frozen(data.Directory, maxSteps: 7) with { Reporting = new ReportingConfig { LogEverySteps = 5, CheckpointEverySteps = 3 } };
        var source = Checkpoint(new RunDirectory(root.MemberDirectory("m1")), config); // steps 3, 6 and 7 on disk
        using (var file = File.OpenWrite(source.Path)) file.SetLength(source.SizeBytes / 2); // cut short after its reference was taken
        var live = Torch.Torch.LiveTensors;
        var member = Spawn("m1");

        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory), ResumeFrom: source));
        var started = await WorkerRuns.NextAsync<MemberEvent.Started>(events.Reader);
        member.Tell(new MemberMessage.Stop("test"));
        var ended = (MemberEvent.Ended)(await WorkerRuns.UntilEndedAsync(events.Reader))[^1];
        await ExpectTerminatedAsync(member, WorkerRuns.Patience);

        Assert.Equal(6, started.Step);
        Assert.Equal(source.Path, started.Unusable?.Path);
        Assert.Null(ended.Error);
        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public async Task A_member_whose_data_cannot_be_read_ends_with_that_error_and_fails_its_commands()
    {
        var live = Torch.Torch.LiveTensors;
        var member = Spawn("m1");

        member.Tell(new MemberMessage.CheckpointNow()); // not training yet
        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(runs.File("no-such-data"))));
        var seen = await WorkerRuns.UntilEndedAsync(events.Reader);
        await ExpectTerminatedAsync(member, WorkerRuns.Patience); // stopped, never restarted

        Assert.DoesNotContain(seen, e => e is MemberEvent.Started);
        var failed = Assert.Single(seen.OfType<MemberEvent.CommandFailed>());
        Assert.Equal("checkpoint_now", failed.Command);
        Assert.IsType<InvalidOperationException>(failed.Error);
        Assert.Contains("m1 is not training", failed.Error.Message, StringComparison.Ordinal);
        Assert.IsType<DataFormatException>(((MemberEvent.Ended)seen[^1]).Error);
        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public async Task A_failed_member_is_not_restarted_even_by_a_supervisor_that_restarts()
    {
        // Akka's default guardian restarts a failed actor with a fresh instance; a member must not
        // come back that way (the fresh one would own no run), whoever supervises it.
        var restarting = ConfigurationFactory.ParseString("""akka.actor.guardian-supervisor-strategy = "Akka.Actor.DefaultSupervisorStrategy" """)
            .WithFallback(WorkerActorSystem.Config);
        var system = ActorSystem.Create("restarting", restarting);
        try
        {
            var member = system.ActorOf(MemberActor.Props(Settings("m1"), events.Writer), "member-m1");
            Watch(member);

            member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(runs.File("no-such-data"))));
            var seen = await WorkerRuns.UntilEndedAsync(events.Reader);
            await ExpectTerminatedAsync(member, WorkerRuns.Patience);

            Assert.IsType<DataFormatException>(((MemberEvent.Ended)Assert.Single(seen)).Error);
            Assert.False(events.Reader.TryRead(out var late), $"{late} after the end");
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_second_start_is_refused_and_training_goes_on()
    {
        var member = Spawn("m1");
        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory)));
        await WorkerRuns.NextAsync<MemberEvent.Started>(events.Reader);

        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory)));
        var failed = await WorkerRuns.NextAsync<MemberEvent.CommandFailed>(events.Reader);
        var after = await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader);
        member.Tell(new MemberMessage.Stop("test"));
        var rest = await WorkerRuns.UntilEndedAsync(events.Reader);

        Assert.Equal("start", failed.Command);
        Assert.Contains("already started", Assert.IsType<InvalidOperationException>(failed.Error).Message, StringComparison.Ordinal);
        Assert.True(after.Report.Step > 0);
        Assert.DoesNotContain(rest, e => e is MemberEvent.Started);
        Assert.Null(((MemberEvent.Ended)rest[^1]).Error);
    }

    [Fact]
    public async Task A_nan_failpoint_poisons_the_weights_between_steps_and_the_run_repairs_itself()
    {
        var live = Torch.Torch.LiveTensors;
        var member = Spawn("m1", NanFailpoints.Parse("nan:m1@4"));

        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory)));
        var diverged = await WorkerRuns.NextAsync<MemberEvent.Diverged>(events.Reader);
        var after = await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader);
        member.Tell(new MemberMessage.Stop("test"));
        var rest = await WorkerRuns.UntilEndedAsync(events.Reader);

        Assert.Equal(5, diverged.Divergence.Step); // poisoned after step 4's report, before step 5
        Assert.True(double.IsNaN(diverged.Divergence.Loss));
        Assert.Equal(0, diverged.Divergence.RestoredStep);
        Assert.True(double.IsFinite(after.Report.TrainLoss), "it trains on from the restored state");
        Assert.DoesNotContain(rest, e => e is MemberEvent.Diverged); // once per worker process
        Assert.Null(((MemberEvent.Ended)rest[^1]).Error);
        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public async Task A_member_stopped_from_outside_checkpoints_ends_and_frees_its_run()
    {
        var live = Torch.Torch.LiveTensors;
        var member = Spawn("m1");
        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory)));
        await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader);

        Sys.Stop(member); // as a system shutting down does: no Stop message
        var rest = await WorkerRuns.UntilEndedAsync(events.Reader);
        await ExpectTerminatedAsync(member, WorkerRuns.Patience);

        var ended = (MemberEvent.Ended)rest[^1];
        Assert.Null(ended.Error);
        Assert.Equal(TrainingRun.StoppedByOwner, ended.Result!.StoppedBy);
        Assert.Equal(ended.Result.WeightSteps, rest.OfType<MemberEvent.Checkpointed>().Last().Checkpoint.Step);
        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public async Task An_exploit_source_on_another_worker_is_fetched_checked_loaded_and_deleted()
    {
        // Both Adam, so optimizer state carries over; the member's rate is so small that its own
        // steps leave the exploited weights where they were loaded.
        var remoteRoot = new CheckpointRoot(runs.File("remote"));
        var source = Checkpoint(new RunDirectory(remoteRoot.MemberDirectory("src")), WorkerRuns.Frozen(data.Directory, maxSteps: 10, optimizer: "adam"));
        await using var remote = new GrpcHost(new GrpcHostOptions()).AddService(new WorkerService(remoteRoot, () => new WorkerStatus()));
        await remote.StartAsync();
        source.WorkerAddress = $"127.0.0.1:{remote.Address.Port}";
        var live = Torch.Torch.LiveTensors;
        var member = Spawn("m1");
        member.Tell(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory, optimizer: "adam", learningRate: 1e-12) with { Seed = 11 }));
        var state = (await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader)).Report.Hyperparameters;
        member.Tell(new MemberMessage.CheckpointNow());
        var own = (await WorkerRuns.NextAsync<MemberEvent.Checkpointed>(events.Reader)).Checkpoint;

        var explored = WithLambda(state, 0.25);
        explored.Gates.Clear(); // as the coordinator explores: λ only, the gates come with the weights
        member.Tell(new MemberMessage.Exploit(source, explored, ExploreScale: 1));
        member.Tell(new MemberMessage.CheckpointNow());
        var exploited = (await WorkerRuns.NextAsync<MemberEvent.Checkpointed>(events.Reader)).Checkpoint;
        var corrupt = source.Clone();
        corrupt.Sha256 = ByteString.CopyFrom(new byte[32]);
        member.Tell(new MemberMessage.Exploit(corrupt, new HyperparameterState(), ExploreScale: 1) { Decision = 42 });
        var failed = await WorkerRuns.NextAsync<MemberEvent.CommandFailed>(events.Reader);
        await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader); // still training
        member.Tell(new MemberMessage.Stop("test"));
        var seen = await WorkerRuns.UntilEndedAsync(events.Reader);

        var sourceWeights = CheckpointReader.Read(source.Path).Section(CheckpointSections.Parameters).ToDictionary(t => t.Name, t => t.Tensor.AsSpan<float>().ToArray());
        Assert.True(MaxDifference(sourceWeights, own.Path) > 0.1, "the member started far from the source");
        Assert.True(MaxDifference(sourceWeights, exploited.Path) < 1e-6, "the exploited weights are the source's");
        Assert.Equal(0.25f, WorkerRuns.Lambda(exploited.Path));
        Assert.True(exploited.Step >= own.Step, "the member kept its own step count");
        Assert.Equal(("exploit", 42L), (failed.Command, failed.Decision)); // the coordinator's decision, named back
        var error = Assert.IsType<CheckpointException>(failed.Error);
        Assert.Contains("member src", error.Message, StringComparison.Ordinal);
        Assert.Contains(source.Path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(root.Path, "*", SearchOption.AllDirectories), f => f.Contains(".fetched", StringComparison.Ordinal));
        Assert.Null(((MemberEvent.Ended)seen[^1]).Error);
        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing); // the actor system first: a member still running frees its run
        if (!disposing) return;
        fetcher.Dispose();
        runs.Dispose();
        data.Dispose();
    }

    private IActorRef Spawn(string memberId, NanFailpoints? failpoints = null, TrainingObserver? observer = null)
    {
        var settings = Settings(memberId) with { Failpoints = failpoints ?? NanFailpoints.None, Observer = observer };
        var member = Sys.ActorOf(MemberActor.Props(settings, events.Writer), $"member-{memberId}");
        Watch(member);
        return member;
    }

    private MemberSettings Settings(string memberId) => new()
    {
        MemberId = memberId,
        Checkpoints = new CheckpointLocator(root, OwnAddress, fetcher),
        WorkerAddress = OwnAddress,
        ReportEverySteps = 2,
    };

    private static string Describe(MemberEvent e) => e switch
    {
        MemberEvent.Started s => $"started {s.Step}",
        MemberEvent.Reported r => $"reported {r.Report.Step}",
        MemberEvent.Checkpointed c => $"checkpointed {c.Checkpoint.Step}",
        _ => e.GetType().Name,
    };

    // Trains a run to its limit in `directory` and returns its final checkpoint, as shared storage would hold it.
    private static CheckpointRef Checkpoint(RunDirectory directory, TrainConfig config)
    {
        using (var run = new TrainingRun(config, directory))
        {
            run.Run();
        }

        var path = new CheckpointDirectory(directory.CheckpointsPath).PathOf(config.MaxSteps!.Value);
        var bytes = File.ReadAllBytes(path);
        return new CheckpointRef
        {
            MemberId = Path.GetFileName(directory.Path),
            Step = config.MaxSteps.Value,
            Path = path,
            SizeBytes = bytes.LongLength,
            Sha256 = ByteString.CopyFrom(SHA256.HashData(bytes)),
        };
    }

    private static HyperparameterState WithLambda(HyperparameterState state, double lambda)
    {
        var changed = state.Clone();
        changed.Hyperparameters[0].Unconstrained = lambda;
        return changed;
    }

    private static double MaxDifference(Dictionary<string, float[]> expected, string checkpointPath)
    {
        var actual = CheckpointReader.Read(checkpointPath).Section(CheckpointSections.Parameters).ToDictionary(t => t.Name, t => t.Tensor.AsSpan<float>().ToArray());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        return expected.Max(p => p.Value.Zip(actual[p.Key], (a, b) => (double)Math.Abs(a - b)).DefaultIfEmpty(0).Max());
    }
}
