using System.Diagnostics;
using System.Text.Json;
using HyperSwarm.Cli.Report;
using HyperSwarm.Cli.Tests.Cluster;
using HyperSwarm.Cli.Tests.Support;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Tests.Report;

// The report.html that `train` and `run` leave in their run directory, opened in headless
// Chromium as a user opens it: self-contained, every plot drawn, the titles a reader looks for.
[Collection(TrainedRunCollection.Name)]
public sealed class RunReportTests(TrainedImageFolderRun trained)
{
    // A drawn plot has its axes, grid, text and anti-aliased lines in dozens of shades; a blank
    // or broken image has one or two.
    private const int DrawnColours = 20;

    [Fact]
    public async Task Train_leaves_a_self_contained_report_whose_plots_draw_in_chromium()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var report = Path.Combine(trained.RunPath, RunReport.FileName);
        var said = (trained.Stderr + trained.Stdout).Replace("\n", "", StringComparison.Ordinal); // the display wraps long lines
        Assert.Contains($"report:{report}", said.Replace("report: ", "report:", StringComparison.Ordinal), StringComparison.Ordinal);

        await using var browser = await ReportBrowser.OpenAsync(report);

        Assert.All(browser.Requests, url => Assert.True(url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal), url));
        Assert.Equal(["Result", "Loss and accuracy", "Hyperparameter schedules", "Test split"], await browser.TextsAsync("h2"));
        var titles = await browser.PlotTitlesAsync();
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(trained.RunPath, "model", ExportedModel.CardFileName)));
        var tuned = card.RootElement.GetProperty("tuned").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
        Assert.NotEmpty(tuned);
        Assert.Equal(["Training loss", "Validation loss", "Validation accuracy", .. tuned.Order(StringComparer.Ordinal), "Per-class accuracy"], titles);
        var colours = await browser.PlotColoursAsync();
        Assert.All(colours, plot => Assert.True(plot.Value >= DrawnColours, $"{plot.Key}: {plot.Value} colours"));
    }

    [Fact]
    public async Task The_confusion_matrix_and_the_misclassified_grid_account_for_every_test_image()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        await using var browser = await ReportBrowser.OpenAsync(Path.Combine(trained.RunPath, RunReport.FileName));

        var rows = await browser.Page.Locator("table.confusion tr").CountAsync();
        var cells = (await browser.TextsAsync("table.confusion td")).Select(int.Parse).ToArray();
        var classes = rows - 1;
        Assert.Equal(2, classes);
        Assert.Equal(6, cells.Sum()); // the run's 6 held-out test images
        var right = Enumerable.Range(0, classes).Sum(c => cells[c * classes + c]);
        Assert.Equal(trained.Result.GetProperty("test_accuracy").GetDouble(), Math.Round((double)right / cells.Sum(), 5));
        Assert.Equal(cells.Sum() - right, await browser.Page.Locator("figure.tile").CountAsync());
    }

    [Fact]
    public async Task Report_rewrites_a_runs_report_and_refuses_a_folder_that_is_no_run()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var report = Path.Combine(trained.RunPath, RunReport.FileName);
        File.Delete(report);

        var (code, stdout, stderr) = await CliProcess.RunWithEnvironmentAsync(trained.Environment, "report", trained.RunPath);
        var (badCode, badOut, badErr) = await CliProcess.RunAsync("report", trained.DataPath);

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(report));
        Assert.Contains("Misclassified test images", File.ReadAllText(report), StringComparison.Ordinal);
        Assert.Equal(2, badCode);
        Assert.Empty(badOut);
        Assert.Equal($"error: {trained.DataPath} is not a run directory (it has no config.yaml); give one that train or run wrote.", Assert.Single(badErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Ctrl_c_during_training_still_leaves_a_report()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runs = Path.Combine(trained.Root, "interrupted");
        // SIGINT back at its default for the child: a test run started in the background
        // (`bash .ci/run &`) has it ignored, which exec passes on and .NET then respects.
        using var train = new ChildProcess("train", ["env", "--default-signal=INT"], ["train", "--data", trained.DataPath, "--set", "model.kind=small-cnn", "--runs", runs, .. TrainedRun.TinyArguments(1_000_000)], trained.Environment);
        await train.WaitForLineAsync(l => l.Contains("step 5 ", StringComparison.Ordinal), TimeSpan.FromMinutes(2), "the first progress line");

        using (var interrupt = Process.Start("kill", ["-INT", train.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        var code = await train.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(code == 0, train.Output);
        var run = Assert.Single(Directory.GetDirectories(runs));
        var html = File.ReadAllText(Path.Combine(run, RunReport.FileName));
        Assert.Contains("cancelled", html, StringComparison.Ordinal); // result.json's stopped_by
        Assert.Contains("Per-class accuracy", html, StringComparison.Ordinal);
    }
}
