using HyperSwarm.Cli.Report;
using HyperSwarm.Cli.Run;
using HyperSwarm.Cli.Tests.Support;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;

namespace HyperSwarm.Cli.Tests.Report;

// A population's report reads its event log: the lineage drawn from each copy between members
// and every PBT decision listed with the coordinator's reason. (In the trained-run collection
// so that Chromium and `run` do not compete for the cores with the other CLI processes.)
[Collection(TrainedRunCollection.Name)]
public sealed class PopulationReportTests(TrainedImageFolderRun trained) : IDisposable
{
    private readonly string run = Directory.CreateTempSubdirectory("hs-cli-population-report-").FullName;

    public void Dispose() => Directory.Delete(run, recursive: true);

    [Fact]
    public async Task A_population_report_draws_the_lineage_and_lists_each_decision_with_its_reason()
    {
        var clock = new ManualClock();
        await using (var store = await PopulationStore.OpenAsync(StoreUri.ForRunDirectory(run), clock))
        {
            async Task At(double seconds, string kind, string? member, string reason)
            {
                clock.Now = ManualClock.Start.AddSeconds(seconds);
                await store.AppendAsync(kind, member, "w0", reason, "{}");
            }

            await At(0, EventKinds.RunStarted, null, "3 members, 0 workers");
            foreach (var m in new[] { "m00", "m01", "m02" }) await At(1, EventKinds.MemberStarted, m, "epoch 1: least-loaded free slot");
            await At(10, EventKinds.Exchange, "m01", "from m00: loss 0.9 vs m00's 0.5: gap 80% > 10%, so hyperparameters only");
            await At(20, EventKinds.Exploit, "m02", "from m01 checkpoint step 40: loss 1.2 vs m01's 0.6, so weights; explored dropout.input 0.1→0.12");
            await At(25, EventKinds.MemberDiverged, "m00", "loss not finite at step 50 (train NaN, validation NaN)");
            foreach (var m in new[] { "m00", "m01", "m02" }) await At(30, EventKinds.MemberFinished, m, "reached 60 steps");
        }

        foreach (var (member, offset) in new[] { ("m00", 0.0), ("m01", 0.2), ("m02", 0.4) })
        {
            var folder = Directory.CreateDirectory(Path.Combine(run, EmbeddedRun.MembersFolder, member)).FullName;
            await File.WriteAllLinesAsync(Path.Combine(folder, "metrics.jsonl"), Enumerable.Range(1, 6).Select(i =>
                $$"""{"kind":"progress","weight_step":{{10 * i}},"train_loss":{{2.0 / i + offset}}}"""));
            await File.WriteAllLinesAsync(Path.Combine(folder, "hyperparameters.jsonl"), Enumerable.Range(1, 6).Select(i =>
                $$$"""{"hyper_step":{{{i}}},"weight_step":{{{10 * i}}},"values":{"dropout.input":{{{0.1 + offset * i / 10}}}},"sigmas":{"dropout.input":0.5}}"""));
        }

        var path = await RunReport.WriteAsync(run, CancellationToken.None);
        await using var browser = await ReportBrowser.OpenAsync(path);

        Assert.Equal(["Result", "Loss and accuracy", "Hyperparameter schedules", "Test split", "Lineage", "PBT decisions"], await browser.TextsAsync("h2"));
        Assert.Equal(["m00", "m01", "m02 ← m01"], await browser.TextsAsync("ul.ancestry li"));
        var decisions = await browser.TextsAsync("section:has(h2:text('PBT decisions')) tr");
        Assert.Equal(4, decisions.Count); // header and three decisions
        Assert.Contains("exploit\tm02\tfrom m01 checkpoint step 40: loss 1.2 vs m01's 0.6, so weights; explored dropout.input 0.1→0.12", decisions[2], StringComparison.Ordinal);
        Assert.Contains("member_diverged\tm00\tloss not finite at step 50", decisions[3], StringComparison.Ordinal);
        var colours = await browser.PlotColoursAsync();
        Assert.Equal(["Training loss", "dropout.input", "Lineage"], colours.Keys);
        Assert.All(colours, plot => Assert.True(plot.Value >= 20, $"{plot.Key}: {plot.Value} colours"));
        Assert.Contains("The run stopped before it exported a model", string.Join('\n', await browser.TextsAsync("section")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_leaves_a_report_with_its_members_lineage_and_test_split()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runs = Path.Combine(trained.Root, "population");
        // 60 s: the least budget that leaves training time after a loaded machine's start-up (up to 15 s) and the 15 s scoring reserve.

        var (code, stdout, stderr) = await CliProcess.RunWithEnvironmentAsync(trained.Environment,
            "run", "--data", trained.DataPath, "--budget", "60s", "--population", "2", "--workers", "1", "--runs", runs, "--set", "data.batch_size=16", "--json");

        Assert.True(code == 0, stderr);
        var directory = TrainedRun.LastJsonLine(stdout).GetProperty("run").GetString()!;
        await using var browser = await ReportBrowser.OpenAsync(Path.Combine(directory, RunReport.FileName));
        Assert.Equal(["Result", "Loss and accuracy", "Hyperparameter schedules", "Test split", "Lineage", "PBT decisions"], await browser.TextsAsync("h2"));
        Assert.Equal(["m00", "m01"], (await browser.TextsAsync("ul.ancestry li")).Select(l => l.Split(' ')[0]));
        Assert.Equal(6, (await browser.TextsAsync("table.confusion td")).Select(int.Parse).Sum());
        var colours = await browser.PlotColoursAsync();
        Assert.Contains("Lineage", colours.Keys);
        Assert.All(colours, plot => Assert.True(plot.Value >= 20, $"{plot.Key}: {plot.Value} colours"));
    }

    private sealed class ManualClock : TimeProvider
    {
        public static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

        public DateTimeOffset Now { get; set; } = Start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
