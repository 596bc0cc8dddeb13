using HyperSwarm.Cli.Tests.Cluster;
using HyperSwarm.Cli.Tests.Support;

namespace HyperSwarm.Cli.Tests.Dashboard;

// A real `hyperswarm run` serves its dashboard; Chromium (driven by Playwright, the system
// executable) opens the printed URL and watches a member train. (In the trained-run collection
// so that Chromium and `run` do not compete for the cores with the other CLI processes.)
[Collection(TrainedRunCollection.Name)]
public sealed class LiveDashboardTests(TrainedImageFolderRun trained) : IDisposable
{
    private static readonly TimeSpan StartUp = TimeSpan.FromMinutes(2);
    private readonly string runs = Directory.CreateTempSubdirectory("hs-cli-dashboard-").FullName;

    public void Dispose() => Directory.Delete(runs, recursive: true);

    [Fact]
    public async Task The_page_of_a_running_population_shows_a_member_row_whose_step_advances()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        using var run = new ChildProcess("run", [],
            ["run", "--data", trained.DataPath, "--budget", "60s", "--population", "2", "--workers", "1", "--runs", runs, "--set", "data.batch_size=16", "--dashboard", "0"],
            trained.Environment);
        var line = await run.WaitForLineAsync(l => l.StartsWith("dashboard: http://127.0.0.1:", StringComparison.Ordinal), StartUp, "the dashboard URL");
        var url = new Uri(line["dashboard: ".Length..].Trim());

        await using var browser = await ReportBrowser.OpenUrlAsync(url);
        var page = browser.Page;
        const string step = "tr[data-member='m00'] td.step";
        await page.WaitForSelectorAsync(step, new() { Timeout = (float)StartUp.TotalMilliseconds });
        var first = long.Parse(await page.InnerTextAsync(step), System.Globalization.CultureInfo.InvariantCulture);
        // Two advances: the row keeps moving with the run, not just once at the start.
        var advanced = await page.WaitForFunctionAsync("([s, n]) => Number(document.querySelector(s)?.textContent) > n ? Number(document.querySelector(s).textContent) : null",
            new object[] { step, first }, new() { Timeout = (float)StartUp.TotalMilliseconds });
        var second = long.Parse((await advanced.JsonValueAsync<double>()).ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        await page.WaitForFunctionAsync("([s, n]) => Number(document.querySelector(s)?.textContent) > n",
            new object[] { step, second }, new() { Timeout = (float)StartUp.TotalMilliseconds });
        // Attached, not visible: a flat curve (accuracy 1.0 on the tiny folder) has no height.
        await page.WaitForSelectorAsync("#curves polyline", new() { State = Microsoft.Playwright.WaitForSelectorState.Attached, Timeout = (float)StartUp.TotalMilliseconds });

        Assert.True(second > first, $"{second} > {first}");
        Assert.Equal(["m00", "m01"], await page.Locator("#members tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.member)"));
        Assert.Equal("live", await page.InnerTextAsync("#connection"));
        Assert.Contains("local-0", await browser.TextsAsync("#workers tbody td"));
        // Self-contained: the page asked nothing of any other origin.
        Assert.All(browser.Requests, r => Assert.StartsWith(url.GetLeftPart(UriPartial.Authority), r, StringComparison.Ordinal));
    }
}
