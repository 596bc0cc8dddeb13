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
    private static readonly TimeSpan SignalLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_job_cancelled_mid_run_and_submitted_again_carries_the_same_run_on_to_its_result()
    {
        using var slurm = await SlurmCluster.StartAsync();
        using var data = new SyntheticImages();
        var runs = Path.Combine(slurm.Root, "runs");
        var config = Path.Combine(slurm.Root, "run.yaml");
        File.WriteAllText(config, $"""
            seed: 1
            budget: none
            max_steps: 120
            data:
              path: {data.Directory}
              batch_size: 32
              eval_batch_size: 100
            model:
              kind: small-cnn
            optimizer:
              kind: adam
            stn:
              warmup_steps: 4
              train_steps: 2
              val_steps: 1
            reporting:
              log_every_steps: 5
              eval_every_steps: 10
              checkpoint_every_steps: 10
            """);
        const string Run = "fashion-test";
        var store = Path.Combine(runs, Run, "population.db");
        var started = DateTime.UtcNow;

        // Submitted, trained until the coordinator has registered a checkpoint past step 10, then
        // a plain scancel: SIGTERM to every process of the job, SIGKILL KillWait (30 s) later.
        var first = await SubmitAsync(slurm, Run, config, runs);
        var firstStep = await WaitForCheckpointAsync(slurm, first, store);
        var toFirstCheckpoint = DateTime.UtcNow - started;
        await slurm.RunAsync("scancel", [first]);
        var cancelled = await slurm.WaitForJobEndAsync(first, SignalLimit, () => JobOutput(slurm, first));
        Assert.Equal("CANCELLED", cancelled.State);
        var firstOutput = JobOutput(slurm, first);
        // Spectre.Console keeps bold under NO_COLOR: the log's text without its escapes.
        var coordinatorLog = Escapes().Replace(File.ReadAllText(Path.Combine(runs, Run, $"coordinator-{first}.log")), "");
        Assert.True(RunId().Match(coordinatorLog).Groups[1].Value == Run, coordinatorLog);
        // Slurm's default KillWait is shorter than a worker's checkpoint allowance: the job says how to stop it.
        Assert.Contains($"scancel --batch --signal=TERM {first}", firstOutput, StringComparison.Ordinal);

        // The same job name again: the same run directory and store, the member resumes from a
        // checkpoint the first job wrote, and the run completes with its best member.
        var resubmitted = DateTime.UtcNow;
        var second = await SubmitAsync(slurm, Run, config, runs);
        var ended = await slurm.WaitForJobEndAsync(second, TimeSpan.FromSeconds(90), () => JobOutput(slurm, second));
        var secondOutput = Escapes().Replace(JobOutput(slurm, second), "");
        output.WriteLine(secondOutput);
        Assert.True(ended == ("COMPLETED", "0:0"), $"job {second} ended {ended}:\n{secondOutput}");

        var resumedAt = Resumed().Match(secondOutput);
        Assert.True(resumedAt.Success, secondOutput);
        var resumedStep = long.Parse(resumedAt.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(resumedStep, firstStep, 120);
        Assert.Contains($"run {Run} ", secondOutput, StringComparison.Ordinal);
        Assert.Matches(@"best member m00: validation loss [0-9.]+, accuracy", secondOutput);
        var events = EventLog.Read(store);
        Assert.Single(events, e => e.Kind == "run_completed");
        Assert.Contains(events, e => e.Kind == "member_finished" && e.MemberId == "m00");
        output.WriteLine($"submit to first registered checkpoint (step {firstStep}): {toFirstCheckpoint.TotalSeconds:F1} s; resubmit to the run's end, resumed at step {resumedStep}: {(DateTime.UtcNow - resubmitted).TotalSeconds:F1} s");
    }

    // As the recipe's README says: from the repository root, settings in the environment; the
    // app where a publish would put it; no GPU on this node, so one member on its CPUs.
    private static async Task<string> SubmitAsync(SlurmCluster slurm, string run, string config, string runs)
    {
        var environment = new Dictionary<string, string>
        {
            ["HYPERSWARM_HOME"] = AppContext.BaseDirectory,
            ["HYPERSWARM_CONFIG"] = config,
            ["HYPERSWARM_RUNS"] = runs,
            ["HYPERSWARM_TOKEN_FILE"] = Path.Combine(slurm.Root, "cluster-token"),
            ["NO_COLOR"] = "1",
        };
        var cpus = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        var id = await slurm.RunAsync("sbatch",
            ["--parsable", $"--job-name={run}", "--nodes=1", "--gpus-per-node=0", $"--cpus-per-task={cpus}", "--time=10",
             $"--output={Path.Combine(slurm.Root, "job-%j.out")}", "config/cluster/slurm/hyperswarm.sbatch"],
            DependencyArrowTests.RepoRoot(), environment);
        return id.Trim().Split(';')[0];
    }

    // The newest checkpoint the coordinator has registered (its store is the signal), once past step 10.
    private static async Task<long> WaitForCheckpointAsync(SlurmCluster slurm, string job, string store)
    {
        var deadline = DateTime.UtcNow + SignalLimit;
        while (true)
        {
            if (EventLog.Checkpoints(store).Select(c => c.Step).DefaultIfEmpty(0).Max() is var step and > 10) return step;
            var state = (await slurm.JobAsync(job)).State;
            if (state is not ("PENDING" or "RUNNING" or "CONFIGURING")) throw new InvalidOperationException($"job {job} ended ({state}) before a checkpoint:\n{JobOutput(slurm, job)}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no checkpoint within {SignalLimit}:\n{JobOutput(slurm, job)}");
            await Task.Delay(200); // polling the store: the signal is the row, this is only its period
        }
    }

    private static string JobOutput(SlurmCluster slurm, string job)
    {
        var path = Path.Combine(slurm.Root, $"job-{job}.out");
        return File.Exists(path) ? File.ReadAllText(path) : $"(no {path})";
    }

    [GeneratedRegex(@"^run (\S+) · coordinator on", RegexOptions.Multiline)]
    private static partial Regex RunId();

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Escapes();

    [GeneratedRegex(@"Member m00 trains from weight step (\d+)\.")]
    private static partial Regex Resumed();
}
