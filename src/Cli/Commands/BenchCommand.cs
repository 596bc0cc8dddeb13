using System.CommandLine;
using System.Text.Json;
using HyperSwarm.Bench;
using HyperSwarm.Cli.Report;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm bench NAME [--json] [--threads N] [--quick] [--steps N]</c>: runs one benchmark against
/// its peer in the same invocation, prints a table, and with --json one JSON object on the
/// last line.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var names = string.Join(", ", BenchmarkCatalog.All.Select(b => b.Name));
        var name = new Argument<string>("name") { Description = $"Benchmark to run: {names}." };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object on the last line." };
        var threads = new Option<int>("--threads")
        {
            Description = "libtorch threads for both sides (default: all cores).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var quick = new Option<bool>("--quick") { Description = "Few repetitions: checks the harness, figures are rough." };
        var budget = new Option<string?>("--budget") { Description = "Wall-clock budget per arm for training benchmarks (accuracy), e.g. 15m." };
        var data = new Option<string?>("--data") { Description = "Dataset folder for training benchmarks (default: the installed Fashion-MNIST)." };
        var device = new Option<string>("--device") { Description = "Device for the trainer benchmark, both sides: cpu or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var python = new Option<string>("--python") { Description = "Python that sees torch (and grpcio) for the peers.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var steps = new Option<int?>("--steps") { Description = "Weight steps per measured round for step-counting benchmarks (scaling)." };

        var command = new Command("bench", "Measure HyperSwarm against its peer (PyTorch, libtorch C++, grpcio) and report ratios.");
        command.Arguments.Add(name);
        command.Options.Add(json);
        command.Options.Add(threads);
        command.Options.Add(quick);
        command.Options.Add(budget);
        command.Options.Add(data);
        command.Options.Add(steps);
        command.Options.Add(device);
        command.Options.Add(python);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var benchName = parse.GetValue(name)!;
            var benchmark = BenchmarkCatalog.Find(benchName)
                ?? throw new UserError($"There is no benchmark named '{benchName}'; choose one of: {names}.");
            var threadCount = parse.GetValue(threads);
            if (threadCount < 1)
            {
                throw new UserError($"--threads must be at least 1, got {threadCount}.");
            }

            var stepCount = parse.GetValue(steps);
            if (stepCount < 1)
            {
                throw new UserError($"--steps must be at least 1, got {stepCount}.");
            }

            var options = new BenchOptions(threadCount, parse.GetValue(quick), parse.GetValue(python)!)
            {
                Device = ParseDevice(parse.GetValue(device)!),
                Budget = ParseBudget(parse.GetValue(budget)),
                DataPath = parse.GetValue(data),
                Steps = stepCount,
            };
            var log = parse.GetValue(json) ? Console.Error : Console.Out;
            var report = await benchmark.RunAsync(options, log, cancellationToken).ConfigureAwait(false);
            foreach (var plot in report.Plots)
            {
                var series = plot.Series.Select(s => new PlotSeries(s.Name, s.Xs, s.Ys)).ToList();
                if (ReportPlots.SaveLinesPng(plot.Path, plot.Title, plot.XLabel, plot.YLabel, series)) await log.WriteLineAsync($"wrote {plot.Path}").ConfigureAwait(false);
            }

            Print(report, parse.GetValue(json));
            return 0;
        });
        return command;
    }

    private static string ParseDevice(string text)
    {
        try
        {
            return HyperSwarm.GpuActors.Training.TrainingDevice.Resolve(text).ToString();
        }
        catch (ArgumentException e)
        {
            throw new UserError($"--{e.Message}");
        }
    }

    private static TimeSpan? ParseBudget(string? text)
    {
        if (text is null) return null;
        try
        {
            return Config.DurationText.Parse(text) ?? throw new UserError("--budget needs a duration such as 15m.");
        }
        catch (FormatException e)
        {
            throw new UserError($"--budget: {e.Message}");
        }
    }

    private static void Print(BenchReport report, bool json)
    {
        var console = json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
        var table = new Table().Border(TableBorder.Rounded).Title($"bench {report.Benchmark}")
            .AddColumn("measure").AddColumn("side").AddColumn(new TableColumn("value").RightAligned()).AddColumn("unit");
        foreach (var row in report.Rows)
        {
            table.AddRow(Markup.Escape(row.Measure), Markup.Escape(row.Side), row.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(row.Unit));
        }

        console.Write(table);
        foreach (var (key, value) in report.Figures)
        {
            console.MarkupLine($"[bold]{Markup.Escape(key)}[/] = {value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}");
        }

        if (json)
        {
            var obj = new Dictionary<string, object>(StringComparer.Ordinal) { ["benchmark"] = report.Benchmark };
            foreach (var (k, v) in report.Figures) obj[k] = Math.Round(v, 4);
            foreach (var (k, v) in report.Context) obj[k] = v;
            Console.Out.WriteLine(JsonSerializer.Serialize(obj));
        }
    }
}
