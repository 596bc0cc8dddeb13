using System.Security.Cryptography;
using Google.Protobuf;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Tests.Training;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Tests.Worker;

// The hooks a member actor drives a run through: they must act between steps, exchange and
// exploit exactly what they say and nothing more, and end a run cleanly on request.
public sealed class TrainingRunControlTests : IDisposable
{
    private readonly SyntheticImages data = new();
    private readonly TempDirectory runs = new();

    [Fact]
    public void Export_then_apply_round_trips_the_hyperparameter_state_bit_for_bit()
    {
        using var source = new TrainingRun(TinyRuns.Config(data.Directory, maxSteps: 20));
        source.Run(); // past warm-up: λ̃, s and the gates have all moved off their starting values
        var exported = source.ExportHyperparameterState();
        using var target = new TrainingRun(TinyRuns.Config(data.Directory) with { Seed = 11 });
        Assert.NotEqual(exported.Hyperparameters, target.ExportHyperparameterState().Hyperparameters);
        Assert.NotEqual(exported.Gates, target.ExportHyperparameterState().Gates);

        target.ApplyHyperparameterState(HyperparameterState.Parser.ParseFrom(exported.ToByteArray())); // through the wire format
        var back = target.ExportHyperparameterState();

        Assert.Equal(10, exported.Hyperparameters.Count);
        Assert.Contains(exported.Gates, g => g.Values.Any(v => v != 0));
        Assert.Equal(exported.Hyperparameters, back.Hyperparameters); // protobuf compares doubles bitwise
        Assert.Equal(exported.Gates, back.Gates);
        Assert.Equal(source.WeightSteps, exported.Step);
        Assert.Equal(0, back.Step);
    }

    [Fact]
    public void Applying_a_hyperparameter_state_leaves_the_weights_unchanged()
    {
        using var source = new TrainingRun(TinyRuns.Config(data.Directory, maxSteps: 20));
        source.Run();
        using var target = new TrainingRun(TinyRuns.Config(data.Directory) with { Seed = 11 });
        var before = Weights(target);

        target.ApplyHyperparameterState(source.ExportHyperparameterState());

        var after = Weights(target);
        Assert.Equal(before.Select(w => w.Name), after.Select(w => w.Name));
        Assert.All(before.Zip(after), pair => Assert.Equal(pair.First.Values, pair.Second.Values));
    }

    [Fact]
    public void A_state_that_does_not_fit_is_refused_whole_naming_every_mismatch()
    {
        using var run = new TrainingRun(TinyRuns.Config(data.Directory));
        var original = run.ExportHyperparameterState();
        var renamed = original.Clone();
        renamed.Hyperparameters[1].Name = "dropout.nowhere";
        var reshaped = original.Clone();
        reshaped.Hyperparameters[0].Unconstrained = 2.5;
        reshaped.Gates[0].Rows += 2;
        reshaped.Gates.RemoveAt(1);

        var e1 = Assert.Throws<ArgumentException>(() => run.ApplyHyperparameterState(renamed));
        var e2 = Assert.Throws<ArgumentException>(() => run.ApplyHyperparameterState(reshaped));

        Assert.Contains("dropout.nowhere", e1.Message, StringComparison.Ordinal);
        Assert.Contains($"gate '{original.Gates[0].Layer}' is {original.Gates[0].Rows + 2}×", e2.Message, StringComparison.Ordinal);
        Assert.Contains($"gate '{original.Gates[1].Layer}' is missing", e2.Message, StringComparison.Ordinal);
        Assert.Equal(original, run.ExportHyperparameterState()); // not even λ̃ moved
        using var plain = new TrainingRun(TinyRuns.Config(data.Directory, stn: false));
        Assert.Throws<ArgumentException>(() => plain.ApplyHyperparameterState(original));
    }

    [Fact]
    public void Exploit_loads_the_source_weights_and_keeps_the_members_own_counters_and_generator()
    {
        var sourceDirectory = new RunDirectory(runs.File("source"));
        using (var source = new TrainingRun(TinyRuns.Config(data.Directory, maxSteps: 10), sourceDirectory))
        {
            source.Run();
        }

        var sourcePath = new CheckpointDirectory(sourceDirectory.CheckpointsPath).PathOf(10);
        var saved = CheckpointReader.Read(sourcePath);
        using var member = new TrainingRun(TinyRuns.Config(data.Directory, maxSteps: 6) with { Seed = 11 }, new RunDirectory(runs.File("member")));
        member.Run();
        var explored = member.ExportHyperparameterState();
        explored.Hyperparameters[0].Unconstrained = -1.25;
        using var generator = Torch.Torch.GetRngState();
        var rng = generator.ToArray<byte>();

        member.Exploit(sourcePath, explored, exploreScale: 1);

        Assert.Equal(6, member.WeightSteps);
        foreach (var (name, weights) in Weights(member))
        {
            Assert.Equal(saved[CheckpointSections.Parameters + name].AsSpan<float>().ToArray(), weights);
        }

        Assert.Equal(-1.25, member.ExportHyperparameterState().Hyperparameters[0].Unconstrained);
        Assert.Equal(explored.Gates, member.ExportHyperparameterState().Gates);
        using var after = Torch.Torch.GetRngState();
        Assert.Equal(rng, after.ToArray<byte>());
    }

    [Fact]
    public void Exploit_with_no_hyperparameters_multiplies_the_loaded_ones_by_the_explore_scale()
    {
        var sourceDirectory = new RunDirectory(runs.File("source"));
        using (var source = new TrainingRun(TinyRuns.Config(data.Directory, maxSteps: 10), sourceDirectory))
        {
            source.Run();
        }

        var sourcePath = new CheckpointDirectory(sourceDirectory.CheckpointsPath).PathOf(10);
        var lambda = CheckpointReader.Read(sourcePath)[CheckpointSections.Hyper + "lambda"].AsSpan<float>()[0];
        using var member = new TrainingRun(TinyRuns.Config(data.Directory) with { Seed = 11 });

        member.Exploit(sourcePath, new HyperparameterState(), exploreScale: 1.2);

        // Input dropout is bounded in (0, 0.95): value = 0.95·sigmoid(λ̃).
        var loaded = 0.95 / (1 + Math.Exp(-lambda));
        Assert.Equal(loaded * 1.2, member.ExportHyperparameterState().Hyperparameters[0].Constrained, 1e-5);
    }

    [Fact]
    public async Task CheckpointNow_returns_the_file_with_its_size_and_sha256()
    {
        var directory = new RunDirectory(runs.File("run"));
        var announced = new List<CheckpointRef>();
        var reported = new TaskCompletionSource();
        var control = new MemberControl("m1") { ReportEverySteps = 3, Report = _ => reported.TrySetResult(), Checkpointed = announced.Add };
        using var thread = await TorchThread.StartAsync(1);
        var training = thread.InvokeAsync(() =>
        {
            using var run = new TrainingRun(Frozen(maxSteps: 1000), directory);
            return run.Run(control);
        });
        await reported.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var reference = await control.CheckpointNowAsync().WaitAsync(TimeSpan.FromSeconds(60));
        control.Stop();
        await training.WaitAsync(TimeSpan.FromSeconds(60));

        var bytes = await File.ReadAllBytesAsync(reference.Path);
        Assert.Equal(SHA256.HashData(bytes), reference.Sha256.ToByteArray());
        Assert.Equal(bytes.LongLength, reference.SizeBytes);
        Assert.Equal("m1", reference.MemberId);
        Assert.Equal(new CheckpointDirectory(directory.CheckpointsPath).PathOf(reference.Step), reference.Path);
        Assert.Equal(reference.Step, CheckpointReader.Read(reference.Path).Step);
        Assert.Contains(reference, announced);
    }

    [Fact]
    public async Task Stop_ends_the_run_after_the_current_step_with_a_checkpoint_and_no_test()
    {
        var directory = new RunDirectory(runs.File("run"));
        var announced = new List<CheckpointRef>();
        var reported = new TaskCompletionSource();
        var control = new MemberControl("m1") { ReportEverySteps = 2, Report = _ => reported.TrySetResult(), Checkpointed = announced.Add };
        using var thread = await TorchThread.StartAsync(1);
        var training = thread.InvokeAsync(() =>
        {
            using var run = new TrainingRun(Frozen(maxSteps: 100_000), directory);
            return run.Run(control);
        });
        await reported.Task.WaitAsync(TimeSpan.FromSeconds(60));

        control.Stop();
        var result = await training.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(TrainingRun.StoppedByOwner, result.StoppedBy);
        Assert.InRange(result.WeightSteps, 2, 99_999);
        Assert.Equal(0, result.Test.Examples);
        var last = Assert.Single(announced);
        Assert.Equal(result.WeightSteps, last.Step);
        Assert.Equal(result.WeightSteps, CheckpointReader.Read(last.Path).Step);
        Assert.False(File.Exists(directory.ResultPath)); // a stopped member is not finished
    }

    [Fact]
    public async Task Reports_arrive_every_n_weight_steps_with_the_latest_validation_and_state()
    {
        var reports = new List<MemberProgress>();
        var control = new MemberControl("m1") { ReportEverySteps = 3, Report = reports.Add };
        var config = TinyRuns.Config(data.Directory, maxSteps: 12) with { Reporting = new ReportingConfig { LogEverySteps = 5, EvalEverySteps = 6 } };

        var result = await TorchThread.RunAsync(1, () =>
        {
            using var run = new TrainingRun(config);
            return run.Run(control);
        });

        Assert.Equal([3L, 6, 9, 12], reports.Select(r => r.Step));
        Assert.True(double.IsNaN(reports[0].ValidationLoss), "no validation before step 6");
        Assert.All(reports.Skip(1), r => Assert.InRange(r.ValidationAccuracy, 0, 1));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.TrainLoss) && r.ExamplesPerSecond > 0 && r.Epoch > 0));
        Assert.All(reports, r => Assert.Equal(10, r.Hyperparameters.Hyperparameters.Count));
        Assert.Equal(reports[^1].Step, reports[^1].Hyperparameters.Step);
        Assert.Equal("max_steps", result.StoppedBy);
    }

    [Fact]
    public async Task A_non_finite_loss_is_restored_and_reported_as_a_divergence()
    {
        var divergences = new List<MemberDivergence>();
        var reported = new TaskCompletionSource();
        var control = new MemberControl("m1") { ReportEverySteps = 3, Report = _ => reported.TrySetResult(), Diverged = divergences.Add };
        using var thread = await TorchThread.StartAsync(1);
        var training = thread.InvokeAsync(() =>
        {
            using var run = new TrainingRun(Frozen(maxSteps: 40));
            return run.Run(control);
        });
        await reported.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var poisoned = await control.PostAsync(run =>
        {
            var weight = run.Model.NamedParameters().First().Parameter.Value;
            weight.CopyFrom<float>(Enumerable.Repeat(float.NaN, (int)weight.Numel).ToArray());
            return run.WeightSteps;
        });
        var result = await training.WaitAsync(TimeSpan.FromSeconds(60));

        var divergence = Assert.Single(divergences);
        Assert.Equal(poisoned + 1, divergence.Step);
        Assert.True(double.IsNaN(divergence.Loss));
        Assert.Equal(0, divergence.RestoredStep); // the state captured when the run started
        Assert.Equal(1, divergence.Recovery);
        Assert.Equal(10, divergence.Hyperparameters.Hyperparameters.Count);
        Assert.Equal(40, result.WeightSteps); // it trained on to its limit
    }

    [Fact]
    public async Task A_finite_loss_far_above_a_guess_is_restored_and_steps_are_halved_until_a_checkpoint_interval_passes_stably()
    {
        // Arrange: weights blown up by 100 each (logits ~10⁸ times larger) give a huge but finite
        // loss, what an unstable step does; NaN alone would miss it.
        var divergences = new List<(MemberDivergence Divergence, double StepScale, double Limit)>();
        var reported = new TaskCompletionSource();
        TrainingRun? current = null;
        var control = new MemberControl("m1")
        {
            ReportEverySteps = 3,
            Report = _ => reported.TrySetResult(),
            Diverged = d => divergences.Add((d, current!.StepScale, current.DivergedLoss)), // on the run's thread
        };
        using var thread = await TorchThread.StartAsync(1);
        var training = thread.InvokeAsync(() =>
        {
            var frozen = Frozen(maxSteps: 40);
            using var run = current = new TrainingRun(frozen with { Reporting = frozen.Reporting with { CheckpointEverySteps = 10 } });
            return run.Run(control);
        });
        await reported.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Act
        var poisoned = await control.PostAsync(run =>
        {
            using var noGrad = HyperSwarm.Torch.NoGrad.Enter();
            foreach (var (_, parameter) in run.Model.NamedParameters().Where(p => p.Parameter.Role == ParameterRole.Weight)) parameter.Value.MulInPlace(100);
            return run.WeightSteps;
        });
        var result = await training.WaitAsync(TimeSpan.FromSeconds(60));

        // Assert
        var (divergence, scale, limit) = Assert.Single(divergences);
        Assert.Equal(poisoned + 1, divergence.Step);
        Assert.True(double.IsFinite(divergence.Loss) && divergence.Loss > limit, $"loss {divergence.Loss}, limit {limit}");
        Assert.Equal(10 * Math.Log(10), limit, 12);
        Assert.Equal(0, divergence.RestoredStep);
        Assert.Equal(0.5, scale);
        Assert.Equal(40, result.WeightSteps); // trained on to its limit without diverging again
        Assert.True(poisoned + 1 + 10 <= 40, $"poisoned at step {poisoned}: too late for a stable interval to follow");
        Assert.Equal(1, current!.StepScale); // ten stable steps (the checkpoint interval) doubled it back
    }

    [Fact]
    public async Task A_command_that_does_not_fit_fails_alone_and_commands_after_the_end_fail()
    {
        var reported = new TaskCompletionSource();
        var control = new MemberControl("m1") { ReportEverySteps = 2, Report = _ => reported.TrySetResult() };
        using var thread = await TorchThread.StartAsync(1);
        var training = thread.InvokeAsync(() =>
        {
            using var run = new TrainingRun(Frozen(maxSteps: 40));
            return run.Run(control);
        });
        await reported.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var misfit = control.ApplyHyperparameterStateAsync(new HyperparameterState { Hyperparameters = { new Hyperparameter { Name = "nope" } } });
        await Assert.ThrowsAsync<ArgumentException>(() => misfit.WaitAsync(TimeSpan.FromSeconds(60)));
        var result = await training.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(40, result.WeightSteps);
        var late = await Assert.ThrowsAsync<InvalidOperationException>(control.CheckpointNowAsync);
        Assert.Contains("m1 is not training", late.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        runs.Dispose();
        data.Dispose();
    }

    private TrainConfig Frozen(long maxSteps) => WorkerRuns.Frozen(data.Directory, maxSteps);

    private static List<(string Name, float[] Values)> Weights(TrainingRun run) =>
        run.Model.NamedParameters()
            .Where(p => p.Parameter.Role != ParameterRole.HyperGate)
            .Select(p => (p.Name, p.Parameter.Value.ToArray<float>()))
            .ToList();
}
