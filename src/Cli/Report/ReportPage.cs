using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace HyperSwarm.Cli.Report;

/// <summary>
/// The report as one self-contained HTML page: inline CSS, plots as embedded SVG, images as
/// embedded PNG; nothing is fetched, so it opens anywhere, offline, years later.
/// </summary>
internal static class ReportPage
{
    private const string Style = """
        body { font-family: sans-serif; margin: 2em auto; max-width: 1500px; color: #222; }
        h1 { margin-bottom: 0.2em; } .path { color: #666; font-family: monospace; }
        section { margin-top: 2em; } .plots { display: flex; flex-wrap: wrap; gap: 1em; }
        figure.plot { margin: 0; } figure.plot img { border: 1px solid #ddd; }
        figure.plot figcaption { text-align: center; color: #444; font-size: 0.9em; }
        table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
        table.events td { text-align: left; } caption { color: #666; font-size: 0.9em; white-space: nowrap; text-align: left; }
        .grid { display: flex; flex-wrap: wrap; gap: 0.6em; } figure.tile { margin: 0; width: 110px; font-size: 0.8em; }
        figure.tile img { image-rendering: pixelated; border: 1px solid #ccc; } .note { color: #666; }
        """;

    public static string Render(ReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var kind = content.Population is null ? "training run" : "population run";
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<title>HyperSwarm report: ").Append(Encode(Path.GetFileName(content.RunPath))).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>HyperSwarm ").Append(kind).Append(" report</h1><p class=\"path\">").Append(Encode(content.RunPath)).Append("</p>");
        Summary(html, content.Result);
        Curves(html, content.Members);
        Schedules(html, content.Members);
        TestSection(html, content);
        if (content.Population is { } population) Population(html, population);
        return html.Append("</body></html>\n").ToString();
    }

    private static void Summary(StringBuilder html, JsonElement? result)
    {
        html.Append("<section><h2>Result</h2>");
        if (result is not { ValueKind: JsonValueKind.Object } r)
        {
            html.Append("<p class=\"note\">The run stopped before it wrote result.json.</p></section>");
            return;
        }

        html.Append("<table class=\"events\">");
        foreach (var property in r.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)))
        {
            html.Append("<tr><th>").Append(Encode(property.Name.Replace('_', ' '))).Append("</th><td>").Append(Encode(property.Value.ToString())).Append("</td></tr>");
        }

        html.Append("</table></section>");
    }

    private static void Curves(StringBuilder html, IReadOnlyList<MemberHistory> members)
    {
        html.Append("<section><h2>Loss and accuracy</h2><div class=\"plots\">");
        Plot(html, ReportPlots.Lines("Training loss", "weight step", "cross-entropy",
            [.. members.Select(m => PlotSeries.Of(m.Id, m.Progresses.Select(p => ((double)p.Step, p.TrainLoss))))]), "Training loss");
        Plot(html, ReportPlots.Lines("Validation loss", "weight step", "cross-entropy",
            [.. members.Select(m => PlotSeries.Of(m.Id, m.Validations.Select(v => ((double)v.Step, v.Loss))))]), "Validation loss");
        Plot(html, ReportPlots.Lines("Validation accuracy", "weight step", "accuracy (%)",
            [.. members.Select(m => PlotSeries.Of(m.Id, m.Validations.Select(v => ((double)v.Step, (double?)(100 * v.Accuracy)))))]), "Validation accuracy");
        html.Append("</div></section>");
    }

    // One plot per tuned hyperparameter: its value after every hyper step, one line per member.
    private static void Schedules(StringBuilder html, IReadOnlyList<MemberHistory> members)
    {
        html.Append("<section><h2>Hyperparameter schedules</h2>");
        var names = members.SelectMany(m => m.Schedule.SelectMany(s => s.Values.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) html.Append("<p class=\"note\">No hyperparameter was tuned (or no hyper step was taken yet).</p>");
        html.Append("<div class=\"plots\">");
        foreach (var name in names)
        {
            Plot(html, ReportPlots.Lines(name, "weight step", "value",
                [.. members.Select(m => PlotSeries.Of(m.Id, m.Schedule.Select(s => ((double)s.Step, s.Values.TryGetValue(name, out var v) ? v : (double?)null))))]), name);
        }

        html.Append("</div></section>");
    }

    private static void TestSection(StringBuilder html, ReportContent content)
    {
        html.Append("<section><h2>Test split</h2>");
        if (content.Test is not { } test)
        {
            html.Append("<p class=\"note\">").Append(Encode(content.TestMissing ?? "The model was not scored.")).Append("</p></section>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>The exported model on the {test.Predicted.Length} test images: {test.Accuracy:P2} right.</p>");
        html.Append("<div class=\"plots\">");
        Plot(html, ReportPlots.Bars("Per-class accuracy", "test accuracy (%)", test.ClassNames,
            [.. Enumerable.Range(0, test.ClassNames.Count).Select(test.ClassAccuracy)]), "Per-class accuracy");
        html.Append("</div><h3>Confusion matrix</h3>").Append(ConfusionTable.Html(test));
        html.Append("<h3>Misclassified test images</h3>").Append(MisclassifiedGrid.Html(test)).Append("</section>");
    }

    private static void Population(StringBuilder html, PopulationLog population)
    {
        html.Append("<section><h2>Lineage</h2><div class=\"plots\">");
        Plot(html, ReportPlots.Lineage(population), "Lineage",
            "Each member's life as a line; each arrow a copy from one member to another (red: weights and hyperparameters, grey: hyperparameters only).");
        html.Append("</div><ul class=\"ancestry\">");
        foreach (var member in population.Members)
        {
            html.Append("<li>").Append(Encode(string.Join(" ← ", population.Ancestry(member.MemberId)))).Append("</li>");
        }

        html.Append("</ul></section><section><h2>PBT decisions</h2>");
        if (population.Decisions.Count == 0) html.Append("<p class=\"note\">The coordinator made no decision about a member.</p>");
        else
        {
            html.Append("<table class=\"events\"><tr><th>#</th><th>seconds</th><th>decision</th><th>member</th><th>reason</th></tr>");
            foreach (var d in population.Decisions)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{d.Sequence}</td><td>{d.Seconds:F1}</td><td>{Encode(d.Kind)}</td><td>{Encode(d.MemberId ?? "")}</td><td>{Encode(d.Reason)}</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("</section>");
    }

    // The plot's title is drawn in it and is its alt text; a caption only where it explains more.
    private static void Plot(StringBuilder html, string? svg, string title, string? caption = null)
    {
        if (svg is null)
        {
            html.Append("<p class=\"note\">").Append(Encode(title)).Append(": nothing recorded yet.</p>");
            return;
        }

        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
        // An <img> per plot: each SVG is its own document, so ScottPlot's element ids cannot collide.
        html.Append("<figure class=\"plot\"><img alt=\"").Append(Encode(title)).Append("\" src=\"data:image/svg+xml;base64,").Append(data).Append("\">");
        if (caption is not null) html.Append("<figcaption>").Append(Encode(caption)).Append("</figcaption>");
        html.Append("</figure>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
