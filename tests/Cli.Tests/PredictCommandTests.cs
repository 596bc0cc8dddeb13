using System.Text.Json;
using HyperSwarm.Cli.Tests.Support;
using HyperSwarm.GpuActors.Tests.Data;
using SkiaSharp;

namespace HyperSwarm.Cli.Tests;

// `hyperswarm predict` as a user runs it on new photos: the same preprocessing as training and
// eval (so a folder's predictions score exactly what eval scores), unreadable files skipped
// with one line each, top-K in order, and one-sentence refusals.
[Collection(TrainedRunCollection.Name)]
public sealed class PredictCommandTests(TrainedColourModel colours, TrainedRun idxRun) : IClassFixture<TrainedColourModel>, IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("hs-cli-predict-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task A_folder_predicted_as_csv_scores_what_eval_scores_on_the_same_images()
    {
        Assert.True(colours.ExitCode == 0, colours.Stderr);

        var (code, stdout, stderr) = await Predict("--model", colours.ModelPath, colours.TestFolder, "--top", "2");
        var (evalCode, evalOut, evalErr) = await CliProcess.RunWithEnvironmentAsync(colours.Environment, "eval", "--model", colours.ModelPath, "--data", colours.DataPath, "--json");

        Assert.True(code == 0, stderr);
        Assert.True(evalCode == 0, evalErr);
        var rows = Csv(stdout);
        Assert.Equal(["file", "label", "probability", "label_2", "probability_2"], rows[0]);
        Assert.Equal(ColourFolder.Classes.Length * 6, rows.Count - 1);
        var right = rows.Skip(1).Count(r => r[1] == Path.GetFileName(Path.GetDirectoryName(r[0])));
        var accuracy = (double)right / (rows.Count - 1);
        var eval = TrainedRun.LastJsonLine(evalOut);
        Assert.Equal(eval.GetProperty("examples").GetInt32(), rows.Count - 1);
        Assert.Equal(eval.GetProperty("accuracy").GetDouble(), Math.Round(accuracy, 5));
        Assert.InRange(accuracy, 0.3, 1); // better than chance (0.25): the preprocessing matched training's
    }

    [Fact]
    public async Task A_corrupt_file_is_one_stderr_line_and_the_other_files_are_predicted()
    {
        Assert.True(colours.ExitCode == 0, colours.Stderr);
        var photos = Directory.CreateDirectory(Path.Combine(scratch, "photos")).FullName;
        foreach (var name in new[] { "a.png", "b.png", "c.png" })
        {
            File.WriteAllBytes(Path.Combine(photos, name), ImageFiles.Solid(SKEncodedImageFormat.Png, 30, 30, SKColors.Red));
        }

        var png = ImageFiles.Solid(SKEncodedImageFormat.Png, 30, 30, SKColors.Blue);
        File.WriteAllBytes(Path.Combine(photos, "broken.png"), png[..(png.Length / 2)]); // cut short

        var (code, stdout, stderr) = await Predict("--model", colours.ModelPath, photos, "--out", Path.Combine(scratch, "out.csv"));

        Assert.True(code == 0, stderr);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"warning: skipped {Path.Combine(photos, "broken.png")}: ", line, StringComparison.Ordinal);
        var rows = Csv(File.ReadAllText(Path.Combine(scratch, "out.csv")));
        Assert.Equal(["a.png", "b.png", "c.png"], rows.Skip(1).Select(r => Path.GetFileName(r[0])));
    }

    [Fact]
    public async Task Top_k_comes_most_likely_first_and_its_probabilities_sum_to_at_most_one()
    {
        Assert.True(colours.ExitCode == 0, colours.Stderr);

        var (code, stdout, stderr) = await Predict("--model", colours.ModelPath, colours.TestFolder, "--top", "3", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var predictions = json.RootElement.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(ColourFolder.Classes.Length * 6, predictions.Count);
        foreach (var prediction in predictions)
        {
            var top = prediction.GetProperty("top").EnumerateArray().Select(t => (Label: t.GetProperty("label").GetString()!, P: t.GetProperty("probability").GetDouble())).ToList();
            Assert.Equal(3, top.Count);
            Assert.Equal(3, top.Select(t => t.Label).Distinct().Count());
            Assert.All(top, t => Assert.Contains(t.Label, ColourFolder.Classes));
            Assert.True(top[0].P >= top[1].P && top[1].P >= top[2].P, prediction.ToString());
            Assert.InRange(top.Sum(t => t.P), 0, 1 + 3e-6); // each rounded to 6 decimals
            Assert.Equal(top[0].Label, prediction.GetProperty("label").GetString());
        }

        // All four classes are the whole softmax, and its first three are the top 3 as given:
        // the top K is cut from the distribution, not renormalised.
        var (allCode, allOut, allErr) = await Predict("--model", colours.ModelPath, colours.TestFolder, "--top", "4", "--json");
        Assert.True(allCode == 0, allErr);
        using var all = JsonDocument.Parse(allOut);
        var whole = all.RootElement.GetProperty("predictions").EnumerateArray().ToList();
        for (var i = 0; i < predictions.Count; i++)
        {
            var four = whole[i].GetProperty("top").EnumerateArray().Select(t => t.GetProperty("probability").GetDouble()).ToList();
            Assert.InRange(four.Sum(), 1 - 4e-6, 1 + 4e-6);
            Assert.Equal(four.Take(3), predictions[i].GetProperty("top").EnumerateArray().Select(t => t.GetProperty("probability").GetDouble()));
        }
    }

    [Fact]
    public async Task One_image_prints_a_table_of_its_top_classes()
    {
        Assert.True(colours.ExitCode == 0, colours.Stderr);
        var image = Directory.GetFiles(Path.Combine(colours.TestFolder, "green")).Order(StringComparer.Ordinal).First();

        var (code, stdout, stderr) = await Predict("--model", colours.ModelPath, image, "--top", "4");

        Assert.True(code == 0, stderr);
        Assert.Equal(image, stdout.Split('\n')[0]);
        Assert.All(ColourFolder.Classes, c => Assert.Contains(c, stdout, StringComparison.Ordinal));
        Assert.Equal(4, stdout.Split('\n').Count(l => l.Contains(" %", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("top")]
    [InlineData("formats")]
    [InlineData("unreadable")]
    public async Task A_bad_request_is_one_sentence_and_exit_code_2(string mistake)
    {
        Assert.True(colours.ExitCode == 0, colours.Stderr);
        var text = Path.Combine(scratch, "notes.png");
        File.WriteAllText(text, "not an image");
        string[] args = mistake switch
        {
            "missing" => ["--model", colours.ModelPath, Path.Combine(scratch, "nothing-here")],
            "top" => ["--model", colours.ModelPath, colours.TestFolder, "--top", "0"],
            "formats" => ["--model", colours.ModelPath, colours.TestFolder, "--json", "--csv"],
            _ => ["--model", colours.ModelPath, text],
        };

        var (code, stdout, stderr) = await Predict(args);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        var error = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.EndsWith(".", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        var expected = mistake switch
        {
            "missing" => $"error: {Path.Combine(scratch, "nothing-here")} does not exist; give image files or folders of them.",
            "top" => "error: --top must be at least 1, got 0.",
            "formats" => "error: --json and --csv are two formats; give one of them.",
            _ => $"error: none of the 1 file(s) could be used as an image (the first, {text}: it is not a JPEG, PNG, BMP, GIF or WebP image).",
        };
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task A_model_trained_on_pixel_data_is_refused_with_exit_code_2()
    {
        Assert.True(idxRun.ExitCode == 0, idxRun.Stderr);
        var image = Directory.GetFiles(Path.Combine(colours.TestFolder, "red")).First();
        var model = Path.Combine(idxRun.RunPath, "model");

        var (code, stdout, stderr) = await Predict("--model", model, image);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: the model in {model} was trained on {SyntheticName(idxRun)}, stored as pixels, so its card records no image preprocessing to repeat on image files; predict takes models trained on an image folder (hyperswarm train --data FOLDER).", line);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Predict(params string[] args) =>
        CliProcess.RunWithEnvironmentAsync(colours.Environment, ["predict", .. args]);

    // The dataset name the IDX run's card records.
    private static string SyntheticName(TrainedRun run)
    {
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunPath, "model", "model.json")));
        return card.RootElement.GetProperty("dataset").GetString()!;
    }

    // RFC 4180 as PredictionCsv writes it: fields quoted only when they must be.
    private static List<string[]> Csv(string text) =>
    [
        .. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var fields = new List<string>();
            var field = new System.Text.StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var ch = line[i];
                if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = !quoted;
                else if (ch == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
                else field.Append(ch);
            }

            fields.Add(field.ToString());
            return fields.ToArray();
        }),
    ];
}
