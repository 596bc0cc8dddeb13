using System.CommandLine;
using HyperSwarm.Cli.Report;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm report RUN_DIR</c>: writes a run directory's <c>report.html</c> again from what
/// it holds (<see cref="RunReport"/>), e.g. for a run made before reports existed, or one killed
/// before it could write its own.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("RUN_DIR") { Description = "A run directory written by train or run." };
        var command = new Command("report", "Write a run directory's report.html (plots, per-class accuracy, misclassified images, lineage).");
        command.Arguments.Add(run);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(run)!;
            if (!File.Exists(Path.Combine(path, "config.yaml")))
            {
                throw new UserError($"{path} is not a run directory (it has no config.yaml); give one that train or run wrote.");
            }

            var written = await RunReport.WriteAsync(path, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"report: {Markup.Escape(written)}");
            return 0;
        });
        return command;
    }
}
