using System.Globalization;
using Spectre.Console;

namespace HyperSwarm.Cli.Predict;

/// <summary>One image's top K as a table: rank, class, probability with a bar (the file is named on the line above it: a title would be cut to the table's width).</summary>
internal static class PredictionTable
{
    private const int BarWidth = 20;

    public static Table Of(Prediction prediction)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("#").RightAligned()).AddColumn("class").AddColumn(new TableColumn("probability").RightAligned()).AddColumn("");
        for (var k = 0; k < prediction.Top.Count; k++)
        {
            var ranked = prediction.Top[k];
            var bar = new string('█', (int)Math.Round(ranked.Probability * BarWidth));
            var label = k == 0 ? $"[bold]{Markup.Escape(ranked.Label)}[/]" : Markup.Escape(ranked.Label);
            table.AddRow((k + 1).ToString(CultureInfo.InvariantCulture), label, ranked.Probability.ToString("P2", CultureInfo.InvariantCulture), bar);
        }

        return table;
    }
}
