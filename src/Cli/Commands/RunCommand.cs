using System.CommandLine;
using System.Diagnostics;
using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Dashboard;
using HyperSwarm.Cli.Display;
using HyperSwarm.Cli.Run;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm run</c>: population-based training on this machine. One process starts a
/// coordinator and local workers that join it over loopback gRPC, as remote workers would
/// (<see cref="EmbeddedRun"/>); at the end the best member is scored on the test split and
/// exported into the run directory.
/// </summary>
internal static class RunCommand
{
    /// <summary>The network <c>run</c> trains when no --config names one: a population of DenseNets does not fit a CPU budget.</summary>
    public const string DefaultModel = "small-cnn";

    public static Command Create()
    {
        var configPath = new Option<string?>("--config") { Description = $"Run configuration (YAML); default {TrainConfigLoader.DefaultPath} (with model.kind={DefaultModel}) if present, else built-in defaults." };
        var data = new Option<string?>("--data") { Description = "Dataset folder: IDX or CIFAR binary files, or one subfolder of images per class; same as --set data.path=DIR." };
        var budget = new Option<string?>("--budget") { Description = "Wall-clock budget of the whole run, e.g. 15m, 90s; same as --set budget=…" };
        var population = new Option<int>("--population") { Description = "Number of members.", DefaultValueFactory = _ => 4 };
        var workers = new Option<int>("--workers") { Description = "Local workers; the members are spread over them.", DefaultValueFactory = _ => 2 };
        var runs = new Option<string>("--runs") { Description = "Folder that receives a new run directory.", DefaultValueFactory = _ => "runs" };
        var set = new Option<string[]>("--set") { Description = "Override any config key, e.g. --set data.train_limit=5000 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object on the last line." };
        var dashboard = DashboardFlag.Create();

        var command = new Command("run", "Train a population whose members tune themselves and each other (coordinator and workers in this process).");
        foreach (var option in new Option[] { configPath, data, budget, population, workers, runs, set, json, dashboard }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var overrides = new List<KeyValuePair<string, string>>();
            // Lowest first: a --set model.kind=… given by the user comes later and wins.
            if (parse.GetValue(configPath) is null) overrides.Add(new("model.kind", DefaultModel));
            if (parse.GetValue(data) is { } dataPath) overrides.Add(new("data.path", dataPath));
            if (parse.GetValue(budget) is { } budgetText) overrides.Add(new("budget", budgetText));
            overrides.AddRange((parse.GetValue(set) ?? []).Select(TrainConfigLoader.ParseOverride));
            var config = TrainConfigLoader.Load(TrainConfigLoader.ResolvePath(parse.GetValue(configPath)), TrainConfigLoader.ReadEnvironment(), overrides);
            if (config.Budget is not { } total) throw new UserError("hyperswarm run needs a budget: give --budget, e.g. --budget 15m.");
            TrainConfigLoader.RequireDataFolder(config);

            var size = parse.GetValue(population);
            if (size < 1) throw new UserError($"--population must be at least 1, got {size}.");
            var workerCount = parse.GetValue(workers);
            if (workerCount < 1) throw new UserError($"--workers must be at least 1, got {workerCount}.");

            var dashboardChoice = DashboardFlag.Parse(parse.GetValue(dashboard));
            var asJson = parse.GetValue(json);
            var console = asJson ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
            if (DatasetCatalog.IsImageFolder(config.Data.Path)) DecodeImageFolder(config, console);
            var request = new EmbeddedRunRequest(config, total, size, workerCount, parse.GetValue(runs)!, clock, parse.GetValue(CliOptions.Verbose),
                dashboardChoice, asJson ? Console.Error : Console.Out);
            RunResult result;
            try
            {
                result = await EmbeddedRun.RunAsync(request, console, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("stopped before the run completed; its members' checkpoints are in the run directory.").ConfigureAwait(false);
                return 130;
            }

            if (asJson) Console.Out.WriteLine(result.ToJson(indented: false));
            return 0;
        });
        return command;
    }

    // Decoded here, once, with a progress bar and a clear error for a bad folder: the speed probe
    // and every member then read the image cache instead of decoding on their own threads.
    private static void DecodeImageFolder(TrainConfig config, IAnsiConsole console)
    {
        var decoding = new DecodeDisplay(console);
        try
        {
            var sets = decoding.Show(() => DatasetCatalog.Load(config.Data.Path, new DatasetLoadOptions
            {
                ImageSize = config.Data.ImageSize,
                Progress = decoding.Report,
                Notice = n => console.WriteLine(n),
            }));
            var skipped = sets.Skipped.Count == 0 ? "" : $"; {sets.Skipped.Count} files skipped (each member's skipped-files.txt lists them)";
            console.WriteLine($"{sets.Name}: {sets.Train.Count + sets.Test.Count} images of {sets.Train.Shape}{skipped}");
        }
        catch (DataFormatException e)
        {
            throw new UserError(e.Message);
        }
    }
}
