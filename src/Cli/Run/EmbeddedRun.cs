using HyperSwarm.GpuActors.Checkpoints;
using System.Diagnostics;
using System.Globalization;
using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Dashboard;
using HyperSwarm.Cli.Display;
using HyperSwarm.Cli.Report;
using HyperSwarm.Cli.Worker;
using HyperSwarm.Coordinator.Dashboard;
using HyperSwarm.Coordinator.Node;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using HyperSwarm.Protocol.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HyperSwarm.Cli.Run;

/// <summary>
/// What <c>hyperswarm run</c> was asked for, checked; the dashboard's URL is printed to
/// <paramref name="Output"/>, where the command's display goes.
/// </summary>
internal sealed record EmbeddedRunRequest(TrainConfig Config, TimeSpan Budget, int Population, int Workers, string RunsRoot, Stopwatch Clock, bool Verbose,
    DashboardChoice? Dashboard, TextWriter Output);

/// <summary>
/// One population-based training run in one process (DESIGN.md §3, step 1): a coordinator with
/// its SQLite store in a new run directory, on a random loopback port, and local
/// <see cref="WorkerNode"/>s that join it over gRPC exactly as remote workers would. The
/// workers share one checkpoint folder (the run's <c>members</c>), as a cluster with shared
/// storage does, so checkpoints are read in place and collected when nothing needs them.
/// When every member has finished, the best one is published (<see cref="BestMember"/>).
/// </summary>
internal static class EmbeddedRun
{
    /// <summary>The folder of the members' run directories, inside the run directory.</summary>
    public const string MembersFolder = "members";

    // Past the members' planned time, before the budget is called spent: start-up of members,
    // the last report's round trip.
    private static readonly TimeSpan DeadlineGrace = TimeSpan.FromSeconds(10);

    public static async Task<RunResult> RunAsync(EmbeddedRunRequest request, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var directory = RunDirectory.CreateUnder(request.RunsRoot, DateTimeOffset.UtcNow);
        console.MarkupLine($"[bold]run directory[/] {Markup.Escape(directory.Path)}");
        // Served from the start: the page says "starting" through the speed probe, then shows the coordinator's population.
        await using var dashboard = await DashboardLauncher.StartAsync(request.Dashboard, DashboardSnapshot.PopulationKind, RunId(directory),
            () => ClusterToken.Resolve(null), console, request.Output, cancellationToken).ConfigureAwait(false);
        var threads = RunPlan.ThreadsFor(request.Population, Environment.ProcessorCount);
        console.MarkupLine("measuring training speed…");
        var rate = await StepRate.MeasureAsync(request.Config, threads, cancellationToken).ConfigureAwait(false);
        var plan = RunPlan.Derive(request.Population, request.Workers, Environment.ProcessorCount, request.Budget, request.Clock.Elapsed, rate);
        console.MarkupLine(Markup.Escape(plan.ToString()));
        // Written however the run ends once it has a plan (complete, failed, Ctrl+C), from what its directory holds by then.
        await using var report = RunReport.OnExit(directory.Path, console);

        var memberConfig = MemberConfig(request.Config, plan);
        var yaml = TrainConfigLoader.ToYaml(memberConfig);
        await File.WriteAllTextAsync(directory.ConfigPath, yaml, cancellationToken).ConfigureAwait(false);

        var display = new WorkerDisplay(console, $"hyperswarm run · {request.Population} members · {DurationText.Format(request.Budget)}", "starting the coordinator");
        using var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddProvider(new DisplayLoggerProvider(display.Notice, request.Verbose)));

        var (outcome, state) = await display.ShowAsync(() => TrainAsync(request, plan, directory, yaml, display, loggers, dashboard, cancellationToken)).ConfigureAwait(false);
        console.MarkupLine($"scoring the best member, {Markup.Escape(outcome.BestMemberId ?? "none")}, on the test split…");
        var published = await BestMember.PublishAsync(outcome, memberConfig, directory, Environment.ProcessorCount, cancellationToken).ConfigureAwait(false);
        var result = RunResult.Of(directory, request, plan, state, published, request.Clock.Elapsed);
        await File.WriteAllTextAsync(directory.ResultPath, result.ToJson(indented: true), CancellationToken.None).ConfigureAwait(false);
        Print(console, result, directory);
        return result;
    }

    // The members' config: the run's, ending only by the coordinator's stop at TotalSteps (the
    // wire has no "finished on its own" notice, so a member must not stop itself first: its
    // max_steps lies ten reports beyond). Members validate and checkpoint at least twice per
    // ready interval: selection ranks validated losses, an exploit copies a recent checkpoint
    // and a lost worker costs little. The coordinator's GC alone deletes checkpoints (it knows
    // which are still exploit sources), so the trainer keeps all of its own.
    private static TrainConfig MemberConfig(TrainConfig config, RunPlan plan)
    {
        var twicePerReady = (int)Math.Max(20, plan.ReadySteps / 2);
        return config with
        {
            Budget = null,
            Epochs = null,
            MaxSteps = plan.TotalSteps + 10L * config.Reporting.LogEverySteps,
            Reporting = config.Reporting with
            {
                EvalEverySteps = Math.Min(config.Reporting.EvalEverySteps ?? int.MaxValue, twicePerReady),
                CheckpointEverySteps = Math.Min(config.Reporting.CheckpointEverySteps, twicePerReady),
                KeepCheckpoints = int.MaxValue,
            },
        };
    }

    private static async Task<(RunOutcome, PopulationState)> TrainAsync(EmbeddedRunRequest request, RunPlan plan, RunDirectory directory, string yaml,
        WorkerDisplay display, ILoggerFactory loggers, DashboardServer? dashboard, CancellationToken cancellationToken)
    {
        await using var store = await PopulationStore.OpenAsync(StoreUri.ForRunDirectory(directory.Path), cancellationToken: cancellationToken).ConfigureAwait(false);
        var options = new CoordinatorNodeOptions
        {
            Store = store,
            RunId = RunId(directory),
            ConfigYaml = yaml,
            Population = new PopulationOptions
            {
                Size = plan.Population,
                ReadySteps = plan.ReadySteps,
                TotalSteps = plan.TotalSteps,
                Space = SearchSpace.For(request.Config),
            },
            SelectionInterval = plan.SelectionInterval,
            CollectCheckpoints = true, // every worker writes where this process reads
            LoggerFactory = loggers,
        };
        await using var node = await CoordinatorNode.StartAsync(options, cancellationToken).ConfigureAwait(false);
        dashboard?.Attach(new PopulationDashboardSource(node));
        var joined = 0;
        display.Connection($"coordinator {node.Address.Authority} · 0 of {plan.Workers} workers joined");

        var root = new CheckpointRoot(Path.Combine(directory.Path, MembersFolder));
        var configs = new MemberConfigs(root, dataPath: null, sharedCheckpoints: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new List<(WorkerNode Node, Task Run)>();
        try
        {
            for (var i = 0; i < plan.Workers; i++)
            {
                var worker = new WorkerNode(new WorkerNodeOptions
                {
                    WorkerId = $"local-{i}",
                    Coordinator = node.Address,
                    CheckpointRoot = root.Path,
                    SharedCheckpoints = true,
                    MemberConfig = configs.For,
                    Capacity = plan.SlotsPerWorker,
                    TorchThreadsPerMember = plan.ThreadsPerMember,
                    OnJoined = _ => display.Connection($"coordinator {node.Address.Authority} · {Interlocked.Increment(ref joined)} of {plan.Workers} workers joined"),
                    OnMemberEvent = display.OnMemberEvent,
                    LoggerFactory = loggers,
                });
                workers.Add((worker, worker.RunAsync(stop.Token)));
            }

            // A worker that ends before the run does (it cannot start, its torch thread died)
            // fails the run now rather than leaving its members waiting for a slot. The budget
            // is a hard limit: when the step estimate was too high, the members are stopped
            // (each with a checkpoint) and the best so far is published.
            var deadline = Task.Delay(plan.MemberBudget + DeadlineGrace, cancellationToken);
            var ended = await Task.WhenAny([node.Completion, deadline, .. workers.Select(w => w.Run)]).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (ended == node.Completion || node.Completion.IsCompleted)
            {
                var outcome = await node.Completion.ConfigureAwait(false);
                display.Connection($"coordinator {node.Address.Authority} · run complete");
                return (outcome, node.Population.State);
            }

            if (ended != deadline)
            {
                await ended.ConfigureAwait(false);
                throw new IOException("a local worker stopped before the run completed.");
            }

            display.Notice($"the budget is spent before {plan.TotalSteps} steps: stopping the members and publishing the best so far.");
            await StopWorkersAsync(stop, workers).ConfigureAwait(false);
            var state = node.Population.State;
            var best = state.Best();
            var report = best?.LastReport;
            return (new RunOutcome(node.RunId, best?.Id, best?.Checkpoint, report?.ValidationLoss ?? double.NaN,
                report?.ValidationAccuracy ?? double.NaN, report?.Step ?? 0), state);
        }
        finally
        {
            // The coordinator drains its workers when the run completes; on an error or Ctrl+C
            // they are stopped here, each member finishing its step with a checkpoint.
            await StopWorkersAsync(stop, workers).ConfigureAwait(false);
            await node.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string RunId(RunDirectory directory) => "run-" + Path.GetFileName(Path.GetFullPath(directory.Path));

    private static async Task StopWorkersAsync(CancellationTokenSource stop, List<(WorkerNode Node, Task Run)> workers)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        foreach (var (worker, run) in workers)
        {
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await worker.DisposeAsync().ConfigureAwait(false);
        }

        workers.Clear();
    }

    private static void Print(IAnsiConsole console, RunResult result, RunDirectory directory)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("result").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("best member", Markup.Escape(result.BestMember));
        table.AddRow("test accuracy", $"[bold]{result.TestAccuracy.ToString("P2", CultureInfo.InvariantCulture)}[/]");
        table.AddRow("validation accuracy", result.ValidationAccuracy.ToString("P2", CultureInfo.InvariantCulture));
        table.AddRow("weight steps", result.WeightSteps.ToString(CultureInfo.InvariantCulture));
        table.AddRow("members finished", $"{result.MembersFinished} of {result.Population}");
        table.AddRow("run time", TimeSpan.FromSeconds(result.Seconds).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture));
        console.Write(table);
        console.MarkupLine($"model: {Markup.Escape(Path.Combine(directory.ModelPath, ExportedModel.CardFileName))}");
        console.MarkupLine($"evaluate it: hyperswarm eval --model {Markup.Escape(directory.ModelPath)} --data DIR");
    }
}
