using System.Globalization;
using System.Net;
using System.Text;

namespace HyperSwarm.Cli.Report;

/// <summary>
/// The confusion matrix as an HTML table: a row per true class, a column per predicted class,
/// each cell shaded by its share of the row so the mistakes stand out whatever the class sizes.
/// </summary>
internal static class ConfusionTable
{
    public static string Html(TestOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var names = outcome.ClassNames;
        var html = new StringBuilder("<table class=\"confusion\"><caption>rows: true class · columns: predicted class</caption><tr><th></th>");
        foreach (var name in names) html.Append("<th>").Append(WebUtility.HtmlEncode(name)).Append("</th>");
        html.Append("</tr>");
        for (var t = 0; t < names.Count; t++)
        {
            long total = 0;
            for (var p = 0; p < names.Count; p++) total += outcome.Confusion[t, p];
            html.Append("<tr><th>").Append(WebUtility.HtmlEncode(names[t])).Append("</th>");
            for (var p = 0; p < names.Count; p++)
            {
                var count = outcome.Confusion[t, p];
                var share = total == 0 ? 0 : (double)count / total;
                var hue = t == p ? "46,139,87" : "178,34,34"; // right: green, wrong: red
                html.Append(CultureInfo.InvariantCulture, $"<td style=\"background:rgba({hue},{share:F3})\">{count}</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</table>").ToString();
    }
}
