using System.Security.Cryptography;
using System.Threading.Channels;
using Google.Protobuf;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Tests.Training;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using HyperSwarm.Protocol.Actors;
using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Tests.Worker;

// A member actor is the only owner of its model: it trains on its own thread, applies commands
// in the order sent, and gives every tensor back when it ends, however it ends.
public sealed class MemberActorTests : IDisposable
{
    private const string OwnAddress = "127.0.0.1:1"; // never dialled: it only marks "this worker"
    private readonly SyntheticImages data = new();
    private readonly TempDirectory runs = new();
    private readonly CheckpointFetcher fetcher = new();
    private readonly Channel<MemberEvent> events = Channel.CreateUnbounded<MemberEvent>();
    private readonly CheckpointRoot root;

    public MemberActorTests() => root = new CheckpointRoot(runs.File("root"));

    [Fact]
    public async Task A_member_trains_on_its_own_thread_and_obeys_commands_in_order()
    {
        var live = Torch.Torch.LiveTensors;
        List<MemberEvent> rest;
        MemberEvent.Started started;
        HyperparameterState x, y;
        await using (var system = new ActorSystem())
        {
            var member = Spawn(system, "m1");
            await member.TellAsync(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory)));
            started = await WorkerRuns.NextAsync<MemberEvent.Started>(events.Reader);
            var state = (await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader)).Report.Hyperparameters;
            (x, y) = (WithLambda(state, 0.5), WithLambda(state, -0.75));

            await member.TellAsync(new MemberMessage.Exchange(x, "m7"));
            await member.TellAsync(new MemberMessage.CheckpointNow());
            await member.TellAsync(new MemberMessage.Exchange(y, "m8"));
            await member.TellAsync(new MemberMessage.CheckpointNow());
            await member.TellAsync(new MemberMessage.Stop("test"));
            rest = await WorkerRuns.UntilEndedAsync(events.Reader);
            await member.Completion.WaitAsync(WorkerRuns.Patience);
        }

        var checkpoints = rest.OfType<MemberEvent.Checkpointed>().Select(c => c.Checkpoint).ToList();
        var ended = (MemberEvent.Ended)rest[^1];
        Assert.NotEqual(Environment.CurrentManagedThreadId, started.ManagedThreadId);
        Assert.Equal(0, started.Step);
        Assert.Empty(rest.OfType<MemberEvent.CommandFailed>());
        Assert.Equal(3, checkpoints.Count); // two asked for, one at the stop
        Assert.Equal([0.5f, -0.75f, -0.75f], checkpoints.Select(c => WorkerRuns.Lambda(c.Path)));
        Assert.True(checkpoints[0].Step <= checkpoints[1].Step && checkpoints[1].Step <= checkpoints[2].Step);
        Assert.All(checkpoints, c => Assert.Equal(OwnAddress, c.WorkerAddress));
        Assert.Null(ended.Error);
        Assert.Equal(TrainingRun.StoppedByOwner, ended.Result!.StoppedBy);
        Assert.Equal(ended.Result.WeightSteps, checkpoints[2].Step);
        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public async Task A_member_started_from_a_checkpoint_goes_on_from_its_step()
    {
        var source = Checkpoint(new RunDirectory(root.MemberDirectory("m1")), WorkerRuns.Frozen(data.Directory, maxSteps: 7));
        await using var system = new ActorSystem();
        var member = Spawn(system, "m1");

        await member.TellAsync(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory), ResumeFrom: source));
        var started = await WorkerRuns.NextAsync<MemberEvent.Started>(events.Reader);
        var report = await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader);
        await member.TellAsync(new MemberMessage.Stop("test"));
        var ended = (MemberEvent.Ended)(await WorkerRuns.UntilEndedAsync(events.Reader))[^1];

        Assert.Equal(7, started.Step);
        Assert.Equal(8, report.Report.Step); // reports every 2 steps: the first after 7 is 8
        Assert.True(ended.Result!.WeightSteps >= 8);
    }

    [Fact]
    public async Task A_resume_checkpoint_that_differs_from_its_reference_ends_the_member_naming_member_and_file()
    {
        var source = Checkpoint(new RunDirectory(root.MemberDirectory("m1")), WorkerRuns.Frozen(data.Directory, maxSteps: 3));
        source.Sha256 = ByteString.CopyFrom(new byte[32]);
        var live = Torch.Torch.LiveTensors;
        await using var system = new ActorSystem();
        var member = Spawn(system, "m1");

        await member.TellAsync(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory), ResumeFrom: source));
        var seen = await WorkerRuns.UntilEndedAsync(events.Reader);
        await member.Completion.WaitAsync(WorkerRuns.Patience);

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
        await using (var system = new ActorSystem())
        {
            var member = Spawn(system, "m1");

            await member.TellAsync(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory), ResumeFrom: source));
            var started = await WorkerRuns.NextAsync<MemberEvent.Started>(events.Reader);
            await member.TellAsync(new MemberMessage.Stop("test"));
            var ended = (MemberEvent.Ended)(await WorkerRuns.UntilEndedAsync(events.Reader))[^1];
            await member.Completion.WaitAsync(WorkerRuns.Patience);

            Assert.Equal(6, started.Step);
            Assert.Equal(source.Path, started.Unusable?.Path);
            Assert.Null(ended.Error);
        }

        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public async Task A_member_whose_data_cannot_be_read_ends_with_that_error_and_fails_its_commands()
    {
        var live = Torch.Torch.LiveTensors;
        await using var system = new ActorSystem();
        var member = Spawn(system, "m1");

        await member.TellAsync(new MemberMessage.Start(WorkerRuns.Frozen(runs.File("no-such-data"))));
        await member.TellAsync(new MemberMessage.CheckpointNow());
        var seen = await WorkerRuns.UntilEndedAsync(events.Reader);

        Assert.DoesNotContain(seen, e => e is MemberEvent.Started);
        var failed = Assert.Single(seen.OfType<MemberEvent.CommandFailed>());
        Assert.Equal("checkpoint_now", failed.Command);
        Assert.IsType<InvalidOperationException>(failed.Error);
        Assert.IsType<DataFormatException>(((MemberEvent.Ended)seen[^1]).Error);
        await member.Completion.WaitAsync(WorkerRuns.Patience);
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
        await using var system = new ActorSystem();
        var member = Spawn(system, "m1");
        await member.TellAsync(new MemberMessage.Start(WorkerRuns.Frozen(data.Directory, optimizer: "adam", learningRate: 1e-12) with { Seed = 11 }));
        var state = (await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader)).Report.Hyperparameters;
        await member.TellAsync(new MemberMessage.CheckpointNow());
        var own = (await WorkerRuns.NextAsync<MemberEvent.Checkpointed>(events.Reader)).Checkpoint;

        var explored = WithLambda(state, 0.25);
        explored.Gates.Clear(); // as the coordinator explores: λ only, the gates come with the weights
        await member.TellAsync(new MemberMessage.Exploit(source, explored, ExploreScale: 1));
        await member.TellAsync(new MemberMessage.CheckpointNow());
        var exploited = (await WorkerRuns.NextAsync<MemberEvent.Checkpointed>(events.Reader)).Checkpoint;
        var corrupt = source.Clone();
        corrupt.Sha256 = ByteString.CopyFrom(new byte[32]);
        await member.TellAsync(new MemberMessage.Exploit(corrupt, new HyperparameterState(), ExploreScale: 1));
        var failed = await WorkerRuns.NextAsync<MemberEvent.CommandFailed>(events.Reader);
        await WorkerRuns.NextAsync<MemberEvent.Reported>(events.Reader); // still training
        await member.TellAsync(new MemberMessage.Stop("test"));
        var seen = await WorkerRuns.UntilEndedAsync(events.Reader);

        var sourceWeights = CheckpointReader.Read(source.Path).Section(CheckpointSections.Parameters).ToDictionary(t => t.Name, t => t.Tensor.AsSpan<float>().ToArray());
        Assert.True(MaxDifference(sourceWeights, own.Path) > 0.1, "the member started far from the source");
        Assert.True(MaxDifference(sourceWeights, exploited.Path) < 1e-6, "the exploited weights are the source's");
        Assert.Equal(0.25f, WorkerRuns.Lambda(exploited.Path));
        Assert.True(exploited.Step >= own.Step, "the member kept its own step count");
        Assert.Equal("exploit", failed.Command);
        var error = Assert.IsType<CheckpointException>(failed.Error);
        Assert.Contains("member src", error.Message, StringComparison.Ordinal);
        Assert.Contains(source.Path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(root.Path, "*", SearchOption.AllDirectories), f => f.Contains(".fetched", StringComparison.Ordinal));
        Assert.Null(((MemberEvent.Ended)seen[^1]).Error);
    }

    public void Dispose()
    {
        fetcher.Dispose();
        runs.Dispose();
        data.Dispose();
    }

    private ActorRef<MemberMessage> Spawn(ActorSystem system, string memberId) => system.Spawn(
        () => new MemberActor(new MemberSettings
        {
            MemberId = memberId,
            Checkpoints = new CheckpointLocator(root, OwnAddress, fetcher),
            WorkerAddress = OwnAddress,
            ReportEverySteps = 2,
        }, events.Writer),
        MemberActor.Options(memberId));

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
