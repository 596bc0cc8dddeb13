using HyperSwarm.Protocol.Hyperparameters;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// A trained model as exported: <c>model.safetensors</c> (parameters, buffers and the tuned λ̃
/// under <c>hyper.lambda</c>, with the checkpoint checksum) plus <c>model.json</c>, its
/// <see cref="ModelCard"/>. Loading rebuilds the network from the card alone.
/// </summary>
public sealed class ExportedModel : IDisposable
{
    /// <summary>The card's file name inside a model folder.</summary>
    public const string CardFileName = "model.json";

    /// <summary>The weights' file name inside a model folder.</summary>
    public const string WeightsFileName = "model.safetensors";

    private readonly HyperInput? input;

    private ExportedModel(ModelCard card, Classifier model, HyperparameterSpace? space, HyperInput? input)
    {
        Card = card;
        Model = model;
        Space = space;
        this.input = input;
    }

    /// <summary>The card it was loaded from.</summary>
    public ModelCard Card { get; }

    /// <summary>The network.</summary>
    public Classifier Model { get; }

    /// <summary>The tuned hyperparameters the hyper layers read; null for a plain network.</summary>
    public HyperparameterSpace? Space { get; }

    /// <summary>The normalisation the card prescribes.</summary>
    public Normalization Normalization => new(Card.Mean, Card.Std);

    /// <summary>A host copy of <paramref name="model"/>'s weights and <paramref name="space"/>'s λ̃, as exported.</summary>
    public static CheckpointContent Snapshot(Classifier model, HyperparameterSpace? space, long step)
    {
        ArgumentNullException.ThrowIfNull(model);
        var content = CheckpointContent.Capture(model, step, "{}");
        if (space is not null) content.AddTensors(CheckpointSections.Hyper, [("lambda", space.Unconstrained)]);
        return content;
    }

    /// <summary>Writes a <see cref="Snapshot"/> and its card into folder <paramref name="directory"/>, each file atomically.</summary>
    public static async Task SaveAsync(string directory, CheckpointContent snapshot, ModelCard card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(card);
        Directory.CreateDirectory(directory);
        await CheckpointWriter.WriteAsync(Path.Combine(directory, card.Weights), snapshot, cancellationToken).ConfigureAwait(false);
        await WriteCardAsync(directory, card, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rewrites only the card (e.g. to add the test accuracy).</summary>
    public static Task WriteCardAsync(string directory, ModelCard card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        return AtomicFile.WriteAllTextAsync(Path.Combine(directory, CardFileName), card.ToJson(), cancellationToken);
    }

    /// <summary>Loads a <see cref="Snapshot"/> back into <paramref name="model"/> and <paramref name="space"/>.</summary>
    public static void Restore(CheckpointContent snapshot, Classifier model, HyperparameterSpace? space)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        snapshot.LoadInto(model);
        if (space is not null) snapshot.LoadInto(CheckpointSections.Hyper, [("lambda", space.Unconstrained)]);
    }

    /// <summary>
    /// Loads the model in <paramref name="path"/> (a model folder or its <c>model.json</c>);
    /// bad or missing files throw <see cref="FormatException"/> or <see cref="CheckpointException"/>
    /// with one sentence naming the file.
    /// </summary>
    public static ExportedModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var cardPath = Directory.Exists(path) ? Path.Combine(path, CardFileName) : path;
        if (!File.Exists(cardPath)) throw new FileNotFoundException($"{cardPath} does not exist; pass a model folder or its {CardFileName}.", cardPath);
        var card = ModelCard.Parse(File.ReadAllText(cardPath), cardPath);
        var weights = CheckpointReader.Read(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(cardPath))!, card.Weights));
        var shape = new ImageShape(card.InputShape[0], card.InputShape[1], card.InputShape[2]);
        HyperparameterSpace? space = null;
        HyperInput? input = null;
        Classifier? model = null;
        try
        {
            if (card.Tuned.Length > 0)
            {
                space = new HyperparameterSpace(card.Tuned.Select(t =>
                    new HyperparameterSpec(t.Name, Enum.Parse<HyperparameterKind>(t.Kind), t.Lower, t.Upper, t.Value)));
                input = new HyperInput(space.Count);
            }

            model = ModelFactory.Create(card.Model, shape, card.ClassNames.Length, input, card.Optimizer);
            Restore(weights, model, space);
            model.Eval();
            return new ExportedModel(card, model, space, input);
        }
        catch
        {
            model?.Dispose();
            space?.Dispose();
            throw;
        }
    }

    /// <summary>Logits (B, K) for normalised images (B, C, H, W), evaluation mode, gates fed the final λ̃.</summary>
    public Tensor Logits(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = TensorScope.Begin();
        using var noGrad = NoGrad.Enter();
        if (input is not null && Space is not null) input.Set(Space.Center(images.Shape[0]));
        try
        {
            return scope.Keep(Model.Forward(images));
        }
        finally
        {
            input?.Clear();
        }
    }

    /// <summary>
    /// Logits (B, K) for normalised images (B, C, H, W) in the network's current mode, with
    /// gradients, gates fed the final λ̃: for fine-tuning the model as it will be exported.
    /// </summary>
    public Tensor Forward(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = TensorScope.Begin();
        if (input is not null && Space is not null) input.Set(Space.Center(images.Shape[0]));
        try
        {
            return scope.Keep(Model.Forward(images));
        }
        finally
        {
            input?.Clear();
        }
    }

    /// <summary>Frees the network and the space.</summary>
    public void Dispose()
    {
        Model.Dispose();
        Space?.Dispose();
    }
}
