using System.Text.Json;
using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Run;
using HyperSwarm.Coordinator.Store;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using HyperSwarm.Torch;
using Spectre.Console;

namespace HyperSwarm.Cli.Report;

/// <summary>
/// Writes a run directory's <c>report.html</c> (<see cref="ReportPage"/>) from what the directory
/// holds: the curves and schedules its runs recorded, the exported model scored again on the
/// test split for per-class accuracy, the confusion matrix and the misclassified images, and,
/// for a population, its event log. <c>train</c> and <c>run</c> write it at the end, also after
/// Ctrl+C, so it shows whatever the run got to.
/// </summary>
internal static class RunReport
{
    public const string FileName = "report.html";

    // The report's own reading of the test data prints nothing: the command has already said
    // what it decoded and skipped.
    private static readonly IAnsiConsole Quiet = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });

    /// <summary>
    /// <see cref="WriteAsync"/>, and a line on <paramref name="console"/> saying where; a report
    /// that cannot be written is one warning line, never the command's failure: the run's own
    /// results are on disk whatever happens here.
    /// </summary>
    public static async Task<string?> TryWriteAsync(string runPath, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        try
        {
            var path = await WriteAsync(runPath, CancellationToken.None).ConfigureAwait(false);
            console.MarkupLine($"report: {Markup.Escape(path)}");
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UserError or FormatException or JsonException
            or InvalidOperationException or TorchException or StoreException or DataFormatException or CheckpointException)
        {
            console.MarkupLine($"[yellow]warning:[/] the run report could not be written: {Markup.Escape(e.Message)}");
            return null;
        }
    }

    /// <summary>Runs <see cref="TryWriteAsync"/> when the returned object is disposed, however the run ends.</summary>
    public static IAsyncDisposable OnExit(string runPath, IAnsiConsole console) => new WriteOnDispose(runPath, console);

    /// <summary>Writes <c>report.html</c> into <paramref name="runPath"/> (atomically) and returns its path.</summary>
    public static async Task<string> WriteAsync(string runPath, CancellationToken cancellationToken)
    {
        var directory = new RunDirectory(runPath);
        var population = await PopulationLog.ReadAsync(directory.Path, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<MemberHistory> members = population is null ? [MemberHistory.Read("run", directory)] : MembersOf(directory);
        var (test, missing) = await ScoreAsync(directory).ConfigureAwait(false);
        var content = new ReportContent
        {
            RunPath = directory.Path,
            Result = ReadResult(directory.ResultPath),
            Members = members,
            Test = test,
            TestMissing = missing,
            Population = population,
        };
        var path = Path.Combine(directory.Path, FileName);
        await AtomicFile.WriteAllTextAsync(path, ReportPage.Render(content), cancellationToken).ConfigureAwait(false);
        return path;
    }

    // A population's members each train in their own run directory under members/.
    private static List<MemberHistory> MembersOf(RunDirectory directory)
    {
        var folder = Path.Combine(directory.Path, EmbeddedRun.MembersFolder);
        if (!Directory.Exists(folder)) return [];
        return [.. Directory.GetDirectories(folder).Order(StringComparer.Ordinal).Select(d => MemberHistory.Read(Path.GetFileName(d), new RunDirectory(d)))];
    }

    private static async Task<(TestOutcome? Test, string? Missing)> ScoreAsync(RunDirectory directory)
    {
        if (!File.Exists(Path.Combine(directory.ModelPath, ExportedModel.CardFileName)))
        {
            return (null, "The run stopped before it exported a model, so nothing was scored on the test split.");
        }

        if (!File.Exists(directory.ConfigPath)) return (null, $"{directory.ConfigPath} is missing, so the test data is unknown.");
        var config = TrainConfigLoader.Load(directory.ConfigPath, new Dictionary<string, string>(), []);
        var test = await TorchThread.RunAsync(Environment.ProcessorCount, () => TestOutcome.Score(directory.ModelPath, config.Data.Path, Quiet)).ConfigureAwait(false);
        return (test, null);
    }

    private static JsonElement? ReadResult(string path)
    {
        if (!File.Exists(path)) return null;
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.Clone();
    }

    private sealed class WriteOnDispose(string runPath, IAnsiConsole console) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await TryWriteAsync(runPath, console).ConfigureAwait(false);
    }
}
