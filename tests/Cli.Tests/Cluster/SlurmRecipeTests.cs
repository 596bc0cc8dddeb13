using System.Globalization;
using System.Text.RegularExpressions;
using HyperSwarm.GpuActors.Tests.Training;
using Xunit.Abstractions;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// <c>config/cluster/slurm/hyperswarm.sbatch</c> submitted, as a user would from the repository
/// root, to a real single-node Slurm (<see cref="SlurmCluster"/>) with the app laid out as
/// <c>dotnet publish</c> lays it out (this test's output folder: <c>hyperswarm</c> and
/// <c>libhstorch.so</c> side by side), a tiny CPU population on <see cref="SyntheticImages"/>.
/// </summary>
[Collection("cluster processes")] // one cluster at a time: they share the cores
public sealed partial class SlurmRecipeTests(ITestOutputHelper output)
{
    // How long a signalled job (scancel) may take to end: a graceful stop allows each worker up to
    // 60 s to checkpoint, and under the suite's load the job's steps run up to four times slower.
    private static readonly TimeSpan SignalLimit = TimeSpan.FromMinutes(2);

    // How long a job that trains to its end may take before the test fails; the wait itself ends on
    // the job's state. Alone a job here starts training in ~7 s and the third submission below ends
    // in ~26 s; under the whole suite (test assemblies side by side on two cores) the same steps
    // ran about four times slower (26 s to the first step) and once overran a 90-s limit.
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);
    private const long MaxSteps = 150;

    [Fact]
    public async Task A_job_cancelled_mid_run_and_submitted_again_carries_the_same_run_on_to_its_result()
    {
        using var slurm = await SlurmCluster.StartAsync();
        using var data = new SyntheticImages();
        var runs = Path.Combine(slurm.Root, "runs");
        var config = WriteConfig(slurm, data, MaxSteps);
        const string Run = "fashion-test";
        var store = Path.Combine(runs, Run, "population.db");
        var started = DateTime.UtcNow;

        // Submitted, trained until the coordinator has registered a checkpoint past step 10, then
        // stopped as the recipe says: the batch script stops the workers first (every member
        // checkpoints and the coordinator registers it), then the coordinator.
        var first = await SubmitAsync(slurm, Run, config, runs);
        await WaitForCheckpointAsync(slurm, first, store, after: 10);
        var toFirstCheckpoint = DateTime.UtcNow - started;
        var toFirstStep = FirstStepAt(JobOutput(slurm, first), started);
        await slurm.RunAsync("scancel", ["--batch", "--signal=TERM", first]);
        var stopped = await slurm.WaitForJobEndAsync(first, SignalLimit, () => JobOutput(slurm, first));
        var firstOutput = JobOutput(slurm, first);
        output.WriteLine($"job {first} after scancel --batch --signal=TERM: {stopped}");
        var stoppedAt = Step(Stopped(), firstOutput);
        Assert.Contains("stopped: every member stopped with a checkpoint", firstOutput, StringComparison.Ordinal);
        Assert.Contains(stoppedAt, EventLog.Checkpoints(store).Select(c => c.Step));
        Assert.True(RunId().Match(Escapes().Replace(firstOutput, "")).Groups[1].Value == Run, firstOutput);
        // Slurm's default KillWait is shorter than a worker's checkpoint allowance: the job says how to stop it.
        Assert.Contains($"scancel --batch --signal=TERM {first}", firstOutput, StringComparison.Ordinal);

        // The same job name again: the same run directory and store, and the member goes on from
        // exactly that checkpoint. Past its next one, a plain scancel: SIGTERM to every process
        // of the job at once, SIGKILL KillWait (30 s) later.
        var secondSubmitted = DateTime.UtcNow;
        var second = await SubmitAsync(slurm, Run, config, runs);
        var secondStep = await WaitForCheckpointAsync(slurm, second, store, after: stoppedAt);
        var toResumedStep = FirstStepAt(JobOutput(slurm, second), secondSubmitted);
        output.WriteLine($"submit to the first step: {toFirstStep.TotalSeconds:F0} s; resubmitted to the first resumed step (step {stoppedAt}): {toResumedStep.TotalSeconds:F0} s");
        Assert.Equal(stoppedAt, Step(Resumed(), JobOutput(slurm, second)));
        await slurm.RunAsync("scancel", [second]);
        var cancelled = await slurm.WaitForJobEndAsync(second, SignalLimit, () => JobOutput(slurm, second));
        Assert.Equal("CANCELLED", cancelled.State);

        // Once more: the run goes on from a checkpoint the second job registered, completes, and
        // the job ends COMPLETED with the best member.
        var resubmitted = DateTime.UtcNow;
        var third = await SubmitAsync(slurm, Run, config, runs);
        var ended = await slurm.WaitForJobEndAsync(third, RunLimit, () => JobOutput(slurm, third));
        var thirdOutput = Escapes().Replace(JobOutput(slurm, third), "");
        output.WriteLine(thirdOutput);
        Assert.True(ended == ("COMPLETED", "0:0"), $"job {third} ended {ended}:\n{thirdOutput}");
        var resumedStep = Step(Resumed(), thirdOutput);
        Assert.InRange(resumedStep, secondStep, MaxSteps);
        Assert.Contains($"run {Run} ", thirdOutput, StringComparison.Ordinal);
        Assert.Matches(@"best member m00: validation loss [0-9.]+, accuracy", thirdOutput);
        var events = EventLog.Read(store);
        Assert.Single(events, e => e.Kind == "run_completed");
        Assert.Contains(events, e => e.Kind == "member_finished" && e.MemberId == "m00");
        output.WriteLine($"submit to the first registered checkpoint: {toFirstCheckpoint.TotalSeconds:F1} s; stopped at step {stoppedAt}, cancelled past step {secondStep}; " +
            $"third submission to the run's end, resumed at step {resumedStep}: {(DateTime.UtcNow - resubmitted).TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Two_runs_on_one_node_at_once_take_their_own_ports_and_both_complete()
    {
        using var slurm = await SlurmCluster.StartAsync();
        using var data = new SyntheticImages();
        var runs = Path.Combine(slurm.Root, "runs");
        var config = WriteConfig(slurm, data, maxSteps: 40);

        // One CPU each, so Slurm runs both at once on this node.
        var jobs = new[] { await SubmitAsync(slurm, "run-a", config, runs, cpus: 1), await SubmitAsync(slurm, "run-b", config, runs, cpus: 1) };
        var ends = new List<(string State, string ExitCode)>();
        foreach (var job in jobs) ends.Add(await slurm.WaitForJobEndAsync(job, RunLimit, () => JobOutput(slurm, job)));

        var outputs = jobs.Select(j => Escapes().Replace(JobOutput(slurm, j), "")).ToList();
        Assert.All(ends.Zip(outputs), e => Assert.True(e.First == ("COMPLETED", "0:0"), $"{e.First}:\n{e.Second}"));
        // Both ran at the same time: each one's worker trained while the other's coordinator was up.
        var ports = outputs.Select(o => CoordinatorPort().Match(o).Groups[1].Value).ToList();
        Assert.All(ports, p => Assert.Matches("^[0-9]+$", p));
        Assert.NotEqual(ports[0], ports[1]);
        Assert.All(new[] { "run-a", "run-b" }, r => Assert.Contains(EventLog.Read(Path.Combine(runs, r, "population.db")), e => e.Kind == "run_completed"));
        Assert.True(Overlapped(outputs[0], outputs[1]), string.Join("\n----\n", outputs));
    }

    // Whether the two jobs' workers were up in the same seconds (the times of their log lines, from
    // start to drain, overlap): both held their ports at once. Their few training steps alone take
    // a second or two, too short to be sure to overlap on a busy machine.
    private static bool Overlapped(string a, string b)
    {
        static (TimeSpan First, TimeSpan Last) Span(string text)
        {
            var times = WorkerLineTime().Matches(text).Select(m => TimeSpan.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            return (times.Min(), times.Max());
        }

        var (x, y) = (Span(a), Span(b));
        return x.First <= y.Last && y.First <= x.Last;
    }

    // The time from submission to the worker's "Member m00 trains from weight step" line (its
    // local clock, to the second).
    private static TimeSpan FirstStepAt(string output, DateTime submitted)
    {
        var line = FirstStep().Match(Escapes().Replace(output, ""));
        Assert.True(line.Success, output);
        var local = submitted.ToLocalTime();
        return local.Date + TimeSpan.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture) - local;
    }

    private static string WriteConfig(SlurmCluster slurm, SyntheticImages data, long maxSteps)
    {
        var config = Path.Combine(slurm.Root, "run.yaml");
        File.WriteAllText(config, SmallRunConfig.Yaml(data.Directory, "none", maxSteps));
        return config;
    }

    private static long Step(Regex pattern, string text)
    {
        var match = pattern.Match(Escapes().Replace(text, ""));
        Assert.True(match.Success, $"no '{pattern}' in:\n{text}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    // As the recipe's README says: from the repository root, settings in the environment; the
    // app where a publish would put it; no GPU on this node, so one member on its CPUs.
    private static async Task<string> SubmitAsync(SlurmCluster slurm, string run, string config, string runs, int? cpus = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["HYPERSWARM_HOME"] = AppContext.BaseDirectory,
            ["HYPERSWARM_CONFIG"] = config,
            ["HYPERSWARM_RUNS"] = runs,
            ["HYPERSWARM_TOKEN_FILE"] = Path.Combine(slurm.Root, "cluster-token"),
            ["NO_COLOR"] = "1",
        };
        var perTask = (cpus ?? Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture);
        var id = await slurm.RunAsync("sbatch",
            ["--parsable", $"--job-name={run}", "--nodes=1", "--gpus-per-node=0", $"--cpus-per-task={perTask}", "--time=10",
             $"--output={Path.Combine(slurm.Root, "job-%j.out")}", "config/cluster/slurm/hyperswarm.sbatch"],
            DependencyArrowTests.RepoRoot(), environment);
        return id.Trim().Split(';')[0];
    }

    // The newest checkpoint the coordinator has registered (its store is the signal), once past step <after>.
    private static async Task<long> WaitForCheckpointAsync(SlurmCluster slurm, string job, string store, long after)
    {
        var deadline = DateTime.UtcNow + RunLimit; // from submission: the start and the steps to the checkpoint
        while (true)
        {
            if (EventLog.Checkpoints(store).Select(c => c.Step).DefaultIfEmpty(0).Max() is var step && step > after) return step;
            var state = (await slurm.JobAsync(job)).State;
            if (state is not ("PENDING" or "RUNNING" or "CONFIGURING")) throw new InvalidOperationException($"job {job} ended ({state}) before a checkpoint:\n{JobOutput(slurm, job)}\n{slurm.DaemonLogTails()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no checkpoint within {RunLimit}:\n{JobOutput(slurm, job)}");
            await Task.Delay(200); // polling the store: the signal is the row, this is only its period
        }
    }

    // The job's output, and the coordinator's log while the job still runs (the job copies it into its output at the end).
    private static string JobOutput(SlurmCluster slurm, string job)
    {
        var path = Path.Combine(slurm.Root, $"job-{job}.out");
        var output = File.Exists(path) ? File.ReadAllText(path) : $"(no {path})";
        if (output.Contains("coordinator: ", StringComparison.Ordinal)) return output;
        var log = Directory.GetFiles(slurm.Root, $"coordinator-{job}.log", SearchOption.AllDirectories).FirstOrDefault();
        return log is null ? output : $"{output}\n--- {log}\n{File.ReadAllText(log)}";
    }

    [GeneratedRegex(@"^coordinator: run (\S+) · coordinator on", RegexOptions.Multiline)]
    private static partial Regex RunId();

    [GeneratedRegex(@"^hyperswarm: coordinator on [^:]+:(\d+),", RegexOptions.Multiline)]
    private static partial Regex CoordinatorPort();

    [GeneratedRegex(@"^(\d\d:\d\d:\d\d) ", RegexOptions.Multiline)]
    private static partial Regex WorkerLineTime();

    [GeneratedRegex(@"^(\d\d:\d\d:\d\d) Member m00 trains from weight step", RegexOptions.Multiline)]
    private static partial Regex FirstStep();

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Escapes();

    [GeneratedRegex(@"Member m00 trains from weight step (\d+)\.")]
    private static partial Regex Resumed();

    [GeneratedRegex(@"Member m00 ended \(stopped\) at weight step (\d+)\.")]
    private static partial Regex Stopped();
}
