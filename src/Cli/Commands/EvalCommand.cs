using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HyperSwarm.Cli.Display;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm eval --model PATH --data DIR</c>: scores an exported model on a dataset's test
/// split, with the normalisation its card prescribes. An image folder is read with the card's
/// preprocessing (size, channels, class names); its test split is <c>test/</c>, or else the share
/// of each class that training holds out, so a run's own folder gives the run's test score.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "An exported model: a run's model/ folder or its model.json.", Required = true };
        var data = new Option<string>("--data")
        {
            Description = "Dataset folder (IDX or CIFAR binary files, or one subfolder of images per class); its test split is scored.",
            DefaultValueFactory = _ => DataConfig.DefaultPath,
        };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print the scores as one JSON object on the last line." };
        var command = new Command("eval", "Score an exported model on a dataset's test split.");
        foreach (var option in new Option[] { model, data, threads, json }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var threadCount = parse.GetValue(threads);
            if (threadCount < 1) throw new UserError($"--threads must be at least 1, got {threadCount}.");
            var asJson = parse.GetValue(json);
            var console = asJson ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
            var (card, evaluation, perClass) = await TorchThread.RunAsync(threadCount, () => Evaluate(parse.GetValue(model)!, parse.GetValue(data)!, console)).ConfigureAwait(false);
            Print(console, card, evaluation, perClass, asJson);
            return 0;
        });
        return command;
    }

    private static (ModelCard Card, Evaluation Evaluation, double[] PerClass) Evaluate(string modelPath, string dataPath, IAnsiConsole console)
    {
        ExportedModel exported;
        try
        {
            exported = ExportedModel.Load(modelPath);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException or CheckpointException or ArgumentException)
        {
            throw new UserError(e.Message);
        }

        using (exported)
        {
            var sets = Load(dataPath, exported.Card, console);

            var shape = sets.Test.Shape;
            var expected = exported.Card.InputShape;
            if (shape.Channels != expected[0] || shape.Height != expected[1] || shape.Width != expected[2])
            {
                throw new UserError($"the model takes {expected[0]}x{expected[1]}x{expected[2]} images but {dataPath} holds {shape}.");
            }

            if (sets.Test.ClassCount > exported.Card.ClassNames.Length)
            {
                throw new UserError($"the model knows {exported.Card.ClassNames.Length} classes but {dataPath} has {sets.Test.ClassCount}.");
            }

            var classes = exported.Card.ClassNames.Length;
            var tally = new ClassTally(classes);
            var evaluation = Evaluator.Evaluate(exported.Logits, sets.Test, Enumerable.Range(0, sets.Test.Count).ToList(),
                exported.Normalization, 128, tally: tally);
            return (exported.Card, evaluation, Enumerable.Range(0, classes).Select(tally.Accuracy).ToArray());
        }
    }

    // The dataset as the model saw it in training; an image folder's unusable files are named, not fatal.
    private static TrainTestSets Load(string dataPath, ModelCard card, IAnsiConsole console)
    {
        var decoding = new DecodeDisplay(console);
        var options = new DatasetLoadOptions
        {
            Preprocessing = card.Preprocessing ?? FromInputShape(card, dataPath),
            ClassNames = card.ClassNames,
            Progress = decoding.Report,
            Notice = n => console.WriteLine(n),
        };
        TrainTestSets sets;
        try
        {
            sets = decoding.Show(() => DatasetCatalog.Load(dataPath, options));
        }
        catch (DataFormatException e)
        {
            throw new UserError(e.Message);
        }

        if (sets.Skipped.Count > 0)
        {
            console.MarkupLine($"[yellow]skipped {sets.Skipped.Count} file(s) that cannot be used[/], the first: {Markup.Escape(sets.Skipped[0].ToString())}");
        }

        return sets;
    }

    // A card from before image folders (or from IDX / CIFAR data) states only its input shape:
    // square images of that side and channel count are what it can take from a folder.
    private static ImagePreprocessing? FromInputShape(ModelCard card, string dataPath)
    {
        var shape = card.InputShape;
        if (shape[1] == shape[2]) return new ImagePreprocessing { ImageSize = shape[1], Channels = shape[0] };
        if (!DatasetCatalog.IsImageFolder(dataPath)) return null;
        throw new UserError($"the model takes {shape[0]}x{shape[1]}x{shape[2]} images, which no square crop of {dataPath}'s images gives.");
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
