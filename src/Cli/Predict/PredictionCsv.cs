using System.Globalization;
using System.Text;

namespace HyperSwarm.Cli.Predict;

/// <summary>
/// Predictions as CSV (RFC 4180): <c>file,label,probability</c>, then <c>label_2,probability_2</c>
/// up to the top K, one row per file, written as each arrives.
/// </summary>
internal sealed class PredictionCsv(TextWriter output, int top)
{
    public void WriteHeader()
    {
        var header = new StringBuilder("file,label,probability");
        for (var k = 2; k <= top; k++) header.Append(CultureInfo.InvariantCulture, $",label_{k},probability_{k}");
        output.WriteLine(header);
    }

    public void Write(Prediction prediction)
    {
        var row = new StringBuilder(Field(prediction.File));
        for (var k = 0; k < top; k++)
        {
            // A model with fewer classes than --top leaves the last columns empty.
            var ranked = k < prediction.Top.Count ? prediction.Top[k] : null;
            row.Append(',').Append(ranked is null ? "" : Field(ranked.Label));
            row.Append(',').Append(ranked?.Probability.ToString("0.######", CultureInfo.InvariantCulture));
        }

        output.WriteLine(row);
    }

    // Quoted when it holds a comma, a quote or a line break; quotes doubled.
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
