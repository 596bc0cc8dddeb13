using HyperSwarm.Cli.Display;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// A dataset's test split as a model saw its training data (<c>eval</c> and the run report), or
/// its training split (<c>export</c>'s fine-tuning and int8 calibration): an image folder
/// decoded with the card's preprocessing and labelled by its class names, its unusable files
/// named, not fatal; then checked against the model's input shape and classes.
/// </summary>
internal static class ModelTestSplit
{
    public static ImageDataset Load(string dataPath, ModelCard card, IAnsiConsole console) => Checked(dataPath, card, console, training: false);

    /// <summary>The training split, checked the same way.</summary>
    public static ImageDataset LoadTrain(string dataPath, ModelCard card, IAnsiConsole console) => Checked(dataPath, card, console, training: true);

    private static ImageDataset Checked(string dataPath, ModelCard card, IAnsiConsole console, bool training)
    {
        ArgumentNullException.ThrowIfNull(card);
        var sets = LoadSets(dataPath, card, console);
        var split = training ? sets.Train : sets.Test;
        var shape = split.Shape;
        var expected = card.InputShape;
        if (shape.Channels != expected[0] || shape.Height != expected[1] || shape.Width != expected[2])
        {
            throw new UserError($"the model takes {expected[0]}x{expected[1]}x{expected[2]} images but {dataPath} holds {shape}.");
        }

        if (split.ClassCount > card.ClassNames.Length)
        {
            throw new UserError($"the model knows {card.ClassNames.Length} classes but {dataPath} has {split.ClassCount}.");
        }

        return split;
    }

    private static TrainTestSets LoadSets(string dataPath, ModelCard card, IAnsiConsole console)
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
}
