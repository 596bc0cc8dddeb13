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

// The hooks a member actor drives a run through, one step at a time: they must act between
// steps, exchange and exploit exactly what they say and nothing more, and end a run cleanly on request.
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
    public void CheckpointNow_returns_the_file_with_its_size_and_sha256()
    {
        var directory = new RunDirectory(runs.File("run"));
        var announced = new List<CheckpointRef>();
        var reported = false;
        var member = new MemberObserver("m1") { ReportEverySteps = 3, Report = _ => reported = true, Checkpointed = announced.Add };
        using var run = new TrainingRun(Frozen(maxSteps: 1000), directory);
        using var session = run.Begin(member);
        StepUntil(session, () => reported);

        var reference = session.CheckpointNow();
        run.Stop();
        Finish(session);

        var bytes = File.ReadAllBytes(reference.Path);
        Assert.Equal(SHA256.HashData(bytes), reference.Sha256.ToByteArray());
        Assert.Equal(bytes.LongLength, reference.SizeBytes);
        Assert.Equal("m1", reference.MemberId);
        Assert.Equal(new CheckpointDirectory(directory.CheckpointsPath).PathOf(reference.Step), reference.Path);
        Assert.Equal(reference.Step, CheckpointReader.Read(reference.Path).Step);
        Assert.Contains(reference, announced);
    }

    [Fact]
    public void A_weight_steps_checkpoint_is_never_rewritten_and_is_announced_again_when_asked_for_at_that_step()
    {
        // As a move goes: the coordinator resumes the member elsewhere from the checkpoint it was
        // told of, then stops it here, maybe after a hyper step or a command at the same weight step.
        var directory = new RunDirectory(runs.File("run"));
        var announced = new List<CheckpointRef>();
        using var run = new TrainingRun(Frozen(maxSteps: 1000), directory);
        using var session = run.Begin(new MemberObserver("m1") { Checkpointed = announced.Add });
        for (var i = 0; i < 3; i++) Assert.True(session.Step());

        var first = session.CheckpointNow();
        var changed = run.ExportHyperparameterState();
        changed.Hyperparameters[0].Unconstrained = 1.25;
        session.ApplyHyperparameterState(changed); // the state moves on, the weight step does not
        var again = session.CheckpointNow();
        var result = session.End(); // the stop's checkpoint, still at weight step 3

        Assert.Equal(first, again);
        Assert.Equal([first, first, first], announced);
        Assert.Equal(first.Sha256.ToByteArray(), SHA256.HashData(File.ReadAllBytes(first.Path)));
        Assert.Equal(3, result.WeightSteps);
    }

    [Fact]
    public void A_run_resumed_from_its_own_checkpoint_and_stopped_at_once_leaves_that_file_as_it_was()
    {
        var directory = new RunDirectory(runs.File("run"));
        using (var earlier = new TrainingRun(Frozen(maxSteps: 4), directory))
        {
            earlier.Run();
        }

        var path = new CheckpointDirectory(directory.CheckpointsPath).PathOf(4);
        var bytes = File.ReadAllBytes(path);
        var announced = new List<CheckpointRef>();
        using var run = new TrainingRun(Frozen(maxSteps: 1000), directory);
        run.ResumeFrom(path);
        using var session = run.Begin(new MemberObserver("m1") { Checkpointed = announced.Add });

        var result = session.End();

        Assert.Equal((TrainingRun.StoppedByOwner, 4L), (result.StoppedBy, result.WeightSteps));
        Assert.Equal(path, Assert.Single(announced).Path);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Stop_ends_the_run_after_the_current_step_with_a_checkpoint_and_no_test()
    {
        var directory = new RunDirectory(runs.File("run"));
        var announced = new List<CheckpointRef>();
        var reported = false;
        var member = new MemberObserver("m1") { ReportEverySteps = 2, Report = _ => reported = true, Checkpointed = announced.Add };
        using var run = new TrainingRun(Frozen(maxSteps: 100_000), directory);
        using var session = run.Begin(member);
        StepUntil(session, () => reported);

        run.Stop();
        var result = Finish(session);

        Assert.Equal(TrainingRun.StoppedByOwner, result.StoppedBy);
        Assert.InRange(result.WeightSteps, 2, 99_999);
        Assert.Equal(0, result.Test.Examples);
        var last = Assert.Single(announced);
        Assert.Equal(result.WeightSteps, last.Step);
        Assert.Equal(result.WeightSteps, CheckpointReader.Read(last.Path).Step);
        Assert.False(File.Exists(directory.ResultPath)); // a stopped member is not finished
    }

    [Fact]
    public void Ending_a_session_before_its_limit_suspends_it_like_a_stop()
    {
        var directory = new RunDirectory(runs.File("run"));
        var announced = new List<CheckpointRef>();
        var reports = new List<MemberProgress>();
        var member = new MemberObserver("m1") { ReportEverySteps = 4, Report = reports.Add, Checkpointed = announced.Add };
        using var run = new TrainingRun(Frozen(maxSteps: 100_000), directory);
        using var session = run.Begin(member);
        for (var i = 0; i < 5; i++) Assert.True(session.Step());

        var result = session.End();

        Assert.Equal((TrainingRun.StoppedByOwner, 5L), (result.StoppedBy, result.WeightSteps));
        Assert.Equal([4L, 5], reports.Select(r => r.Step)); // the step since the last report is reported at the end
        Assert.Equal(5, Assert.Single(announced).Step);
        Assert.False(session.Step());
        Assert.Throws<InvalidOperationException>(() => session.End());
    }

    [Fact]
    public void Reports_arrive_every_n_weight_steps_with_the_latest_validation_and_state()
    {
        var reports = new List<MemberProgress>();
        var member = new MemberObserver("m1") { ReportEverySteps = 3, Report = reports.Add };
        var config = TinyRuns.Config(data.Directory, maxSteps: 12) with { Reporting = new ReportingConfig { LogEverySteps = 5, EvalEverySteps = 6 } };

        using var run = new TrainingRun(config);
        using var session = run.Begin(member);
        var result = Finish(session);

        Assert.Equal([3L, 6, 9, 12], reports.Select(r => r.Step));
        Assert.True(double.IsNaN(reports[0].ValidationLoss), "no validation before step 6");
        Assert.All(reports.Skip(1), r => Assert.InRange(r.ValidationAccuracy, 0, 1));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.TrainLoss) && r.ExamplesPerSecond > 0 && r.Epoch > 0));
        Assert.All(reports, r => Assert.Equal(10, r.Hyperparameters.Hyperparameters.Count));
        Assert.Equal(reports[^1].Step, reports[^1].Hyperparameters.Step);
        Assert.Equal("max_steps", result.StoppedBy);
    }

    [Fact]
    public void A_non_finite_loss_is_restored_and_reported_as_a_divergence()
    {
        var divergences = new List<MemberDivergence>();
        var reported = false;
        var member = new MemberObserver("m1") { ReportEverySteps = 3, Report = _ => reported = true, Diverged = divergences.Add };
        using var run = new TrainingRun(Frozen(maxSteps: 40));
        using var session = run.Begin(member);
        StepUntil(session, () => reported);

        var weight = run.Model.NamedParameters().First().Parameter.Value;
        weight.CopyFrom<float>(Enumerable.Repeat(float.NaN, (int)weight.Numel).ToArray());
        var poisoned = run.WeightSteps;
        var result = Finish(session);

        var divergence = Assert.Single(divergences);
        Assert.Equal(poisoned + 1, divergence.Step);
        Assert.True(double.IsNaN(divergence.Loss));
        Assert.Equal(0, divergence.RestoredStep); // the state captured when the run started
        Assert.Equal(1, divergence.Recovery);
        Assert.Equal(10, divergence.Hyperparameters.Hyperparameters.Count);
        Assert.Equal(40, result.WeightSteps); // it trained on to its limit
    }

    [Fact]
    public void A_finite_loss_far_above_a_guess_is_restored_and_steps_are_halved_until_a_checkpoint_interval_passes_stably()
    {
        // Arrange: weights blown up by 100 each (logits ~10⁸ times larger) give a huge but finite
        // loss, what an unstable step does; NaN alone would miss it.
        var divergences = new List<(MemberDivergence Divergence, double StepScale, double Limit)>();
        var reported = false;
        var frozen = Frozen(maxSteps: 40);
        using var run = new TrainingRun(frozen with { Reporting = frozen.Reporting with { CheckpointEverySteps = 10 } });
        var member = new MemberObserver("m1")
        {
            ReportEverySteps = 3,
            Report = _ => reported = true,
            Diverged = d => divergences.Add((d, run.StepScale, run.DivergedLoss)),
        };
        using var session = run.Begin(member);
        StepUntil(session, () => reported);

        // Act
        using (HyperSwarm.Torch.NoGrad.Enter())
        {
            foreach (var (_, parameter) in run.Model.NamedParameters().Where(p => p.Parameter.Role == ParameterRole.Weight)) parameter.Value.MulInPlace(100);
        }

        var poisoned = run.WeightSteps;
        var result = Finish(session);

        // Assert
        var (divergence, scale, limit) = Assert.Single(divergences);
        Assert.Equal(poisoned + 1, divergence.Step);
        Assert.True(double.IsFinite(divergence.Loss) && divergence.Loss > limit, $"loss {divergence.Loss}, limit {limit}");
        Assert.Equal(10 * Math.Log(10), limit, 12);
        Assert.Equal(0, divergence.RestoredStep);
        Assert.Equal(0.5, scale);
        Assert.Equal(40, result.WeightSteps); // trained on to its limit without diverging again
        Assert.True(poisoned + 1 + 10 <= 40, $"poisoned at step {poisoned}: too late for a stable interval to follow");
        Assert.Equal(1, run.StepScale); // ten stable steps (the checkpoint interval) doubled it back
    }

    [Fact]
    public void A_command_that_does_not_fit_fails_alone_and_commands_after_the_end_fail()
    {
        var reported = false;
        var member = new MemberObserver("m1") { ReportEverySteps = 2, Report = _ => reported = true };
        using var run = new TrainingRun(Frozen(maxSteps: 40));
        using var session = run.Begin(member);
        StepUntil(session, () => reported);

        Assert.Throws<ArgumentException>(() => session.ApplyHyperparameterState(new HyperparameterState { Hyperparameters = { new Hyperparameter { Name = "nope" } } }));
        var result = Finish(session);

        Assert.Equal(40, result.WeightSteps);
        var late = Assert.Throws<InvalidOperationException>(session.CheckpointNow);
        Assert.Contains("m1 is not training", late.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        runs.Dispose();
        data.Dispose();
    }

    private TrainConfig Frozen(long maxSteps) => WorkerRuns.Frozen(data.Directory, maxSteps);

    // Steps as an owner does, one at a time, until `until` holds; the run must not end first.
    private static void StepUntil(TrainingSession session, Func<bool> until)
    {
        while (!until()) Assert.True(session.Step(), "the run ended first");
    }

    // The rest of the run, to its limit or stop, then its end.
    private static TrainingResult Finish(TrainingSession session)
    {
        while (session.Step())
        {
        }

        return session.End();
    }

    private static List<(string Name, float[] Values)> Weights(TrainingRun run) =>
        run.Model.NamedParameters()
            .Where(p => p.Parameter.Role != ParameterRole.HyperGate)
            .Select(p => (p.Name, p.Parameter.Value.ToArray<float>()))
            .ToList();
}
