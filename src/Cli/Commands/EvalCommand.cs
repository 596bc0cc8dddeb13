using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm eval --model PATH --data DIR</c>: scores an exported model on a dataset's test
/// split, with the normalisation its card prescribes. An image folder is read with the card's
/// preprocessing (size, channels, class names); its test split is <c>test/</c>, or else the share
/// of each class that training holds out, so a run's own folder gives the run's test score. An
/// .onnx model (<c>hyperswarm export</c>) is scored by ONNX Runtime without loading libtorch,
/// with the card its metadata carries.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "An exported model: a run's model/ folder or its model.json, or an .onnx file.", Required = true };
        var data = new Option<string>("--data")
        {
            Description = "Dataset folder (IDX or CIFAR binary files, or one subfolder of images per class); its test split is scored.",
            DefaultValueFactory = _ => DataConfig.DefaultPath,
        };
        var threads = new Option<int>("--threads") { Description = "libtorch (or ONNX Runtime) threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print the scores as one JSON object on the last line." };
        var command = new Command("eval", "Score an exported model on a dataset's test split.");
        foreach (var option in new Option[] { model, data, threads, json }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var threadCount = parse.GetValue(threads);
            if (threadCount < 1) throw new UserError($"--threads must be at least 1, got {threadCount}.");
            var asJson = parse.GetValue(json);
            var console = asJson ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
            var modelPath = parse.GetValue(model)!;
            var (card, evaluation, perClass) = ModelFile.IsOnnx(modelPath)
                ? EvaluateOnnx(modelPath, parse.GetValue(data)!, threadCount, console)
                : await TorchThread.RunAsync(threadCount, () => Evaluate(modelPath, parse.GetValue(data)!, console)).ConfigureAwait(false);
            Print(console, card, evaluation, perClass, asJson);
            return 0;
        });
        return command;
    }

    private static (ModelCard Card, Evaluation Evaluation, double[] PerClass) Evaluate(string modelPath, string dataPath, IAnsiConsole console)
    {
        using var exported = ModelFile.Load(modelPath);
        var test = ModelTestSplit.Load(dataPath, exported.Card, console);
        var classes = exported.Card.ClassNames.Length;
        var tally = new ClassTally(classes);
        var evaluation = Evaluator.Evaluate(exported.Logits, test, Enumerable.Range(0, test.Count).ToList(),
            exported.Normalization, 128, tally: tally);
        return (exported.Card, evaluation, Enumerable.Range(0, classes).Select(tally.Accuracy).ToArray());
    }

    // No TorchThread: nothing here may touch libtorch (the device path has none).
    private static (ModelCard Card, Evaluation Evaluation, double[] PerClass) EvaluateOnnx(string modelPath, string dataPath, int threads, IAnsiConsole console)
    {
        using var onnx = ModelFile.LoadOnnx(modelPath, threads);
        var test = ModelTestSplit.Load(dataPath, onnx.Card, console);
        var classes = onnx.Card.ClassNames.Length;
        var tally = new ClassTally(classes);
        var evaluation = HostEvaluator.Evaluate(onnx.Logits, test, Enumerable.Range(0, test.Count).ToList(), onnx.Normalization, 128, tally);
        return (onnx.Card, evaluation, Enumerable.Range(0, classes).Select(tally.Accuracy).ToArray());
    }

    private static void Print(IAnsiConsole console, ModelCard card, Evaluation evaluation, double[] perClass, bool json)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"{card.Model.Kind} on {card.Dataset} test split")
            .AddColumn("class").AddColumn(new TableColumn("accuracy").RightAligned());
        for (var c = 0; c < perClass.Length; c++)
        {
            table.AddRow(Markup.Escape(card.ClassNames[c]), double.IsNaN(perClass[c]) ? "–" : perClass[c].ToString("P2", CultureInfo.InvariantCulture));
        }

        table.AddRow("[bold]all[/]", $"[bold]{evaluation.Accuracy.ToString("P2", CultureInfo.InvariantCulture)}[/]");
        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{evaluation.Examples} images, mean cross-entropy {evaluation.Loss:F4}"));
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                accuracy = Math.Round(evaluation.Accuracy, 5),
                loss = Math.Round(evaluation.Loss, 5),
                examples = evaluation.Examples,
            }));
        }
    }
}
