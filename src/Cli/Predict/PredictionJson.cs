using System.Text.Json;
using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.Cli.Predict;

/// <summary>
/// Predictions as one JSON object on one line: the model, every prediction with its top K
/// (<c>label</c> and <c>probability</c> are the first of them), and the files skipped with why.
/// </summary>
internal static class PredictionJson
{
    public static string Format(string model, IEnumerable<Prediction> predictions, IEnumerable<SkippedFile> skipped) =>
        JsonSerializer.Serialize(new
        {
            model,
            predictions = predictions.Select(p => new
            {
                file = p.File,
                label = p.Top[0].Label,
                probability = Math.Round(p.Top[0].Probability, 6),
                top = p.Top.Select(r => new { label = r.Label, probability = Math.Round(r.Probability, 6) }),
            }),
            skipped = skipped.Select(s => new { file = s.Path, reason = s.Reason }),
        });
}
