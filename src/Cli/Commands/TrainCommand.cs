using HyperSwarm.GpuActors.Worker;
using System.CommandLine;
using System.Text.Json;
using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Dashboard;
using HyperSwarm.Cli.Display;
using HyperSwarm.Cli.Report;
using HyperSwarm.Coordinator.Dashboard;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Protocol.Hosting;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm train</c>: trains one self-tuning model on one machine from a run config
/// (defaults: Fashion-MNIST, DenseNet-BC-40 with Fixup-Dense and MPELU, AGD, the default tuned
/// hyperparameters, 15 minutes), with a live progress display, and writes a run directory.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var configPath = new Option<string?>("--config") { Description = $"Run configuration (YAML); default {TrainConfigLoader.DefaultPath} if present, else built-in defaults." };
        var data = new Option<string?>("--data") { Description = "Dataset folder: IDX or CIFAR binary files, or one subfolder of images per class; same as --set data.path=DIR." };
        var budget = new Option<string?>("--budget") { Description = "Wall-clock training budget, e.g. 15m, 1h30m, 90s; same as --set budget=…" };
        var model = new Option<string?>("--model") { Description = $"Network: {string.Join(", ", ModelConfig.Kinds)}; same as --set model.kind=…" };
        var device = new Option<string?>("--device") { Description = "Where to train: cpu, cuda or cuda:N (needs the CUDA build of libhstorch); same as --set device=…" };
        var seed = new Option<int?>("--seed") { Description = "Seed for weights, splits, shuffles and perturbations." };
        var set = new Option<string[]>("--set") { Description = "Override any config key, e.g. --set stn.warmup_steps=100 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var runs = new Option<string>("--runs") { Description = "Folder that receives a new run directory.", DefaultValueFactory = _ => "runs" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this directory from its newest valid checkpoint." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (default: all cores).", DefaultValueFactory = _ => System.Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object on the last line." };
        var dashboard = DashboardFlag.Create();

        var command = new Command("train", "Train a model whose hyperparameters tune themselves (one machine, one member).");
        foreach (var option in new Option[] { configPath, data, budget, model, device, seed, set, runs, resume, threads, json, dashboard }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new List<KeyValuePair<string, string>>();
            void Add(string key, string? value)
            {
                if (value is not null) overrides.Add(new(key, value));
            }

            Add("data.path", parse.GetValue(data));
            Add("budget", parse.GetValue(budget));
            Add("model.kind", parse.GetValue(model));
            Add("device", parse.GetValue(device));
            Add("seed", parse.GetValue(seed)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            overrides.AddRange((parse.GetValue(set) ?? []).Select(TrainConfigLoader.ParseOverride));

            var threadCount = parse.GetValue(threads);
            if (threadCount < 1) throw new UserError($"--threads must be at least 1, got {threadCount}.");
            var request = new TrainRequest(parse.GetValue(configPath), overrides, parse.GetValue(runs)!, parse.GetValue(resume), threadCount, parse.GetValue(json), DashboardFlag.Parse(parse.GetValue(dashboard)));
            return await RunAsync(request, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(TrainRequest request, CancellationToken cancellationToken)
    {
        RunDirectory directory;
        TrainConfig config;
        if (request.Resume is { } resumePath)
        {
            directory = new RunDirectory(resumePath);
            if (!File.Exists(directory.ConfigPath)) throw new UserError($"{directory.ConfigPath} does not exist; --resume needs a run directory written by 'hyperswarm train'.");
            config = TrainConfigLoader.Load(directory.ConfigPath, TrainConfigLoader.ReadEnvironment(), request.Overrides);
        }
        else
        {
            config = TrainConfigLoader.Load(TrainConfigLoader.ResolvePath(request.ConfigPath), TrainConfigLoader.ReadEnvironment(), request.Overrides);
            TrainConfigLoader.RequireDataFolder(config);
            directory = RunDirectory.CreateUnder(request.RunsRoot, DateTimeOffset.UtcNow);
        }

        var yaml = TrainConfigLoader.ToYaml(config);
        var console = request.Json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
        console.MarkupLine($"[bold]run directory[/] {Markup.Escape(directory.Path)}");
        // A population of one: the same page and data as run's and coordinator's.
        var runName = Path.GetFileName(Path.GetFullPath(directory.Path));
        await using var dashboard = await DashboardLauncher.StartAsync(request.Dashboard, DashboardSnapshot.TrainKind, runName,
            () => ClusterToken.Resolve(null), console, request.Json ? Console.Error : Console.Out, cancellationToken).ConfigureAwait(false);
        var live = dashboard is null ? null : TrainingDashboard.Source(runName, config.Device);
        if (live is not null) dashboard!.Attach(live);
        console.WriteLine(yaml);
        await File.WriteAllTextAsync(directory.ConfigPath, yaml, cancellationToken).ConfigureAwait(false);

        TrainingResult result;
        try
        {
            result = await Train(request, config, directory, console, live, cancellationToken).ConfigureAwait(false);
        }
        catch (UserError) when (request.Resume is null)
        {
            // Refused before the first step (data that cannot be read, a model it cannot feed):
            // the folder holds only what this command wrote a moment ago, so runs/ keeps runs only.
            directory.DeleteIfUnstarted();
            throw;
        }
        catch (TrainingDivergedException)
        {
            // The run is over but its kept model (exported whenever one is kept) and checkpoints
            // stay on disk: say where before the error line.
            var card = Path.Combine(directory.ModelPath, ExportedModel.CardFileName);
            if (File.Exists(card)) console.MarkupLine($"[yellow]the kept model before the divergence:[/] {Markup.Escape(card)}");
            await RunReport.TryWriteAsync(directory.Path, console).ConfigureAwait(false);
            throw;
        }
        finally
        {
            live?.Complete();
        }

        // After the test score, also when Ctrl+C ended training: the report shows what the run got to.
        await RunReport.TryWriteAsync(directory.Path, console).ConfigureAwait(false);
        Print(console, result, directory);
        if (request.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                run = directory.Path,
                test_accuracy = Math.Round(result.Test.Accuracy, 5),
                validation_accuracy = Math.Round(result.Validation.Accuracy, 5),
                weight_steps = result.WeightSteps,
                epochs = Math.Round(result.Epochs, 3),
                seconds = Math.Round(result.Elapsed.TotalSeconds, 1),
                stopped_by = result.StoppedBy,
            }));
        }

        return 0;
    }

    // Builds and runs the training on a libtorch thread; returns once the best model is scored.
    private static Task<TrainingResult> Train(TrainRequest request, TrainConfig config, RunDirectory directory, IAnsiConsole console, SingleRunDashboardSource? live, CancellationToken cancellationToken) =>
        TorchThread.RunAsync(request.Threads, () =>
        {
            var decoding = new DecodeDisplay(console);
            var display = new TrainingDisplay(console, Title(config), decoding.Report);
            var observer = live is null ? display.Observer : new TrainingDashboard(live).Wrap(display.Observer);
            using var run = decoding.Show(() => Create(config, directory, observer));
            if (request.Resume is not null && !run.Resume())
            {
                console.MarkupLine("[yellow]no usable checkpoint in the run directory: starting from scratch[/]");
            }

            var (train, validation, test) = run.SplitSizes;
            console.MarkupLine($"{run.DatasetName}: {train} training, {validation} validation, {test} test images; {run.ParameterCount:N0} parameters");
            return display.Show(() => run.Run(cancellationToken));
        });

    private static TrainingRun Create(TrainConfig config, RunDirectory directory, TrainingObserver observer)
    {
        try
        {
            return new TrainingRun(config, directory, observer);
        }
        catch (DataFormatException e)
        {
            throw new UserError(e.Message);
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
    }

    private static string Title(TrainConfig config)
    {
        var model = config.Model.Kind == "densenet-bc" ? $"DenseNet-BC-{config.Model.Depth} (k={config.Model.GrowthRate})" : config.Model.Kind;
        var mode = config.Stn.Enabled ? "self-tuning" : "fixed hyperparameters";
        return $"hyperswarm train · {model} · {config.Optimizer.Kind.ToUpperInvariant()} · {mode} · {config.Device}";
    }

    private static void Print(IAnsiConsole console, TrainingResult result, RunDirectory directory)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("result").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("test accuracy", $"[bold]{result.Test.Accuracy:P2}[/]");
        table.AddRow("validation accuracy (kept model)", $"{result.Validation.Accuracy:P2}");
        table.AddRow("epochs", result.Epochs.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("weight / hyper steps", $"{result.WeightSteps} / {result.HyperSteps}");
        table.AddRow("training time", result.Elapsed.ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("stopped by", result.StoppedBy);
        foreach (var (name, value) in result.Hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            table.AddRow(Markup.Escape(name), value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.MarkupLine($"model: {Markup.Escape(Path.Combine(directory.ModelPath, ExportedModel.CardFileName))}");
        console.MarkupLine($"evaluate it: hyperswarm eval --model {Markup.Escape(directory.ModelPath)} --data DIR");
    }

    private sealed record TrainRequest(string? ConfigPath, List<KeyValuePair<string, string>> Overrides, string RunsRoot, string? Resume, int Threads, bool Json, DashboardChoice? Dashboard);
}
