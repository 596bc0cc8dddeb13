using Microsoft.Playwright;
using SkiaSharp;

namespace HyperSwarm.Cli.Tests.Support;

/// <summary>
/// A report page (or the live dashboard) opened in the Debian <c>chromium</c> (headless, driven by Playwright with the
/// system executable: Playwright's own browser download cannot work offline). Records every
/// request the page makes, so a test can tell that it fetched nothing from a network.
/// </summary>
internal sealed class ReportBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private ReportBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        this.playwright = playwright;
        this.browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Every URL the page asked for, the page itself included.</summary>
    public List<string> Requests { get; } = [];

    public static Task<ReportBrowser> OpenAsync(string reportPath) => OpenUrlAsync(new Uri(Path.GetFullPath(reportPath)));

    /// <summary>Opens any page: a live dashboard's URL, for one.</summary>
    public static async Task<ReportBrowser> OpenUrlAsync(Uri url)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/setup.sh --tests installs the Debian package chromium.");
        var playwright = await Playwright.CreateAsync();
        // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });
        var opened = new ReportBrowser(playwright, browser, page);
        page.Request += (_, request) => opened.Requests.Add(request.Url);
        await page.GotoAsync(url.AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        return opened;
    }

    /// <summary>The alt text (the title) of every plot on the page, in order.</summary>
    public async Task<IReadOnlyList<string>> PlotTitlesAsync()
    {
        var plots = Page.Locator("figure.plot img");
        var titles = new List<string>();
        for (var i = 0; i < await plots.CountAsync(); i++) titles.Add(await plots.Nth(i).GetAttributeAsync("alt") ?? "");
        return titles;
    }

    /// <summary>
    /// How many distinct colours each plot shows on screen (a screenshot of its element): a
    /// blank or broken image has one or two, a drawn plot many.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> PlotColoursAsync()
    {
        var plots = Page.Locator("figure.plot img");
        var colours = new Dictionary<string, int>();
        for (var i = 0; i < await plots.CountAsync(); i++)
        {
            var plot = plots.Nth(i);
            var png = await plot.ScreenshotAsync();
            using var bitmap = SKBitmap.Decode(png);
            colours[await plot.GetAttributeAsync("alt") ?? $"#{i}"] = bitmap.Pixels.Distinct().Count();
        }

        return colours;
    }

    /// <summary>The visible text of every element <paramref name="selector"/> matches.</summary>
    public async Task<IReadOnlyList<string>> TextsAsync(string selector) => await Page.Locator(selector).AllInnerTextsAsync();

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
