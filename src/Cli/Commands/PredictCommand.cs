using System.CommandLine;
using HyperSwarm.Cli.Predict;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm predict --model PATH IMAGE|DIR...</c>: classifies image files with a model
/// trained on an image folder, preprocessing each file as its card prescribes. One image: its
/// top K in a table; several (or a folder): CSV rows on stdout or <c>--out</c>; <c>--json</c>:
/// one JSON object. A file that cannot be read is one warning line on stderr and the rest go on.
/// An .onnx model runs under ONNX Runtime, without libtorch.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model trained on an image folder: a run's model/ folder or its model.json, or an .onnx file.", Required = true };
        var images = new Argument<string[]>("IMAGE|DIR") { Description = "Image files, or folders whose files (at any depth) are predicted.", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top") { Description = "How many of the most likely classes to give per image.", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print the predictions as one JSON object." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV rows, also for a single image." };
        var output = new Option<string?>("--out") { Description = "Write the CSV (or JSON) to this file instead of stdout." };
        var threads = new Option<int>("--threads") { Description = "libtorch (or ONNX Runtime) threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("predict", "Classify image files with a model trained on an image folder.");
        command.Arguments.Add(images);
        foreach (var option in new Option[] { model, top, json, csv, output, threads }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new PredictRequest(parse.GetValue(model)!, parse.GetValue(images) ?? [], parse.GetValue(top), parse.GetValue(json), parse.GetValue(csv), parse.GetValue(output));
            var threadCount = parse.GetValue(threads);
            if (threadCount < 1) throw new UserError($"--threads must be at least 1, got {threadCount}.");
            if (request.Top < 1) throw new UserError($"--top must be at least 1, got {request.Top}.");
            if (request.Json && request.Csv) throw new UserError("--json and --csv are two formats; give one of them.");
            var files = PredictionInputs.Expand(request.Inputs);
            if (ModelFile.IsOnnx(request.Model))
            {
                using var onnx = ModelFile.LoadOnnx(request.Model, threadCount);
                return Run(request, files, onnx.Card, (preprocessing, k) => new ImagePredictor(onnx, preprocessing, k));
            }

            return await TorchThread.RunAsync(threadCount, () =>
            {
                using var exported = ModelFile.Load(request.Model);
                return Run(request, files, exported.Card, (preprocessing, k) => new ImagePredictor(exported, preprocessing, k));
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static int Run(PredictRequest request, IReadOnlyList<string> files, ModelCard card, Func<ImagePreprocessing, int, ImagePredictor> predictorFor)
    {
        var preprocessing = PreprocessingOf(card, request.Model);
        var k = Math.Min(request.Top, card.ClassNames.Length);
        var predictor = predictorFor(preprocessing, k);
        var skipped = new List<SkippedFile>();
        void Skip(SkippedFile file)
        {
            skipped.Add(file);
            Console.Error.WriteLine($"warning: skipped {file}");
        }

        // One file named on its own is shown as a table; anything more is data for a program.
        if (!request.Json && !request.Csv && request.Out is null && request.Inputs.Count == 1 && File.Exists(request.Inputs[0]))
        {
            void Show(Prediction p)
            {
                Console.Out.WriteLine(p.File);
                AnsiConsole.Write(PredictionTable.Of(p));
            }

            if (predictor.Predict(files, Show, Skip) == 0) throw NothingUsable(files, skipped);
            return 0;
        }

        using var file = request.Out is null ? null : File.CreateText(request.Out);
        var output = file ?? Console.Out;
        if (request.Json)
        {
            var predictions = new List<Prediction>();
            if (predictor.Predict(files, predictions.Add, Skip) == 0) throw NothingUsable(files, skipped);
            output.WriteLine(PredictionJson.Format(request.Model, predictions, skipped));
            return 0;
        }

        var table = new PredictionCsv(output, k);
        var rows = 0;
        var predicted = predictor.Predict(files, p =>
        {
            if (rows++ == 0) table.WriteHeader(); // no header when nothing at all can be predicted
            table.Write(p);
        }, Skip);
        if (predicted == 0) throw NothingUsable(files, skipped);
        return 0;
    }

    // The card's record of how files became the model's input; without one, files cannot be fed
    // to the model the way its training data was.
    private static ImagePreprocessing PreprocessingOf(ModelCard card, string modelPath)
    {
        var shape = card.InputShape;
        if (card.Preprocessing is not { } preprocessing)
        {
            throw new UserError($"the model in {modelPath} was trained on {card.Dataset}, stored as pixels, so its card records no image preprocessing to repeat on image files; predict takes models trained on an image folder (hyperswarm train --data FOLDER).");
        }

        if (preprocessing.Shape != new ImageShape(shape[0], shape[1], shape[2]))
        {
            throw new UserError($"the model in {modelPath} takes {shape[0]}x{shape[1]}x{shape[2]} images but its card's preprocessing makes {preprocessing.Shape}.");
        }

        return preprocessing;
    }

    private static UserError NothingUsable(IReadOnlyList<string> files, List<SkippedFile> skipped) =>
        new($"none of the {files.Count} file(s) could be used as an image (the first, {skipped[0]}).");

    private sealed record PredictRequest(string Model, IReadOnlyList<string> Inputs, int Top, bool Json, bool Csv, string? Out);
}
