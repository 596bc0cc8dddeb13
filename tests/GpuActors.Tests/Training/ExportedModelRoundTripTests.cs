using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// `hyperswarm eval` rebuilds the network from the card alone: architecture (incl. AGD's pools),
// hyper layers and the tuned λ̃ must come back so the exported model scores exactly as trained.
public sealed class ExportedModelRoundTripTests : IDisposable
{
    private readonly SyntheticImages data = new();
    private readonly TempDirectory runs = new();

    [Fact]
    public void A_loaded_self_tuned_densenet_scores_the_test_split_exactly_as_the_run_did()
    {
        var config = TinyRuns.Config(data.Directory, model: "densenet-bc", maxSteps: 20);
        var directory = new RunDirectory(runs.File("run"));
        TrainingResult result;
        using (var run = new TrainingRun(config, directory))
        {
            result = run.Run();
        }

        var test = DatasetCatalog.Load(data.Directory).Test;
        using var model = ExportedModel.Load(directory.ModelPath);
        var evaluation = Evaluator.Evaluate(model.Logits, test, Enumerable.Range(0, test.Count).ToList(), model.Normalization, config.Data.EvalBatchSize);

        Assert.Equal(result.Test.Accuracy, evaluation.Accuracy);
        Assert.Equal(result.Test.Loss, evaluation.Loss); // same logits bit for bit, not just the same argmax
        Assert.Equal("densenet-bc", model.Card.Model.Kind);
        Assert.Equal(config.Model.FirstHyperBlock, model.Card.Model.FirstHyperBlock);
        Assert.Equal(result.Test.Accuracy, model.Card.TestAccuracy);

        // Only one validation (at the end) in 20 steps: the exported λ is the final one.
        Assert.NotNull(model.Space);
        Assert.Equal(HyperparameterPlan.Catalog("densenet-bc").Count, model.Space.Count);
        foreach (var (name, value) in model.Space.Values()) Assert.Equal(result.Hyperparameters[name], value);
    }

    [Fact]
    public void A_card_written_before_first_hyper_block_existed_describes_hyper_layers_in_every_block()
    {
        var card = new ModelCard
        {
            Weights = "model.safetensors", Model = new ModelConfig { FirstHyperBlock = 3 }, Dataset = "fashion-mnist", InputShape = [1, 28, 28],
            Mean = [0.5f], Std = [0.25f], ClassNames = ["a", "b"], Tuned = [], Hyperparameters = [], Optimizer = "agd",
            WeightSteps = 1, Epochs = 0.1, Parameters = 10, ValidationAccuracy = 0.5,
        };
        var json = card.ToJson();
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        Assert.True(node["model"]!.AsObject().Remove("first_hyper_block"));
        var old = node.ToJsonString();

        Assert.Equal(3, ModelCard.Parse(json, "new.json").Model.FirstHyperBlock);
        Assert.Equal(1, ModelCard.Parse(old, "old.json").Model.FirstHyperBlock);
    }

    [Fact]
    public void An_image_folder_cards_preprocessing_round_trips_and_an_older_card_has_none()
    {
        var card = Card() with { Preprocessing = new ImagePreprocessing { ImageSize = 40, Channels = 1 } };

        var json = card.ToJson();

        Assert.Contains("\"image_size\": 40", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"shape\"", json, StringComparison.Ordinal);
        Assert.Equal(card.Preprocessing, ModelCard.Parse(json, "new.json").Preprocessing);
        Assert.Null(ModelCard.Parse(Card().ToJson(), "old.json").Preprocessing); // no "preprocessing" key at all
    }

    [Fact]
    public void A_card_asking_for_a_resize_rule_this_version_lacks_is_refused_in_one_sentence()
    {
        var json = (Card() with { Preprocessing = new ImagePreprocessing { ImageSize = 40, Channels = 3, Resize = "stretch" } }).ToJson();

        var e = Assert.Throws<FormatException>(() => ModelCard.Parse(json, "m.json"));

        Assert.Equal("m.json asks for image preprocessing this version cannot repeat: its resize rule 'stretch' is not one this version knows (shorter-side-centre-crop).", e.Message);
    }

    private static ModelCard Card() => new()
    {
        Weights = "model.safetensors", Model = new ModelConfig(), Dataset = "photos", InputShape = [1, 40, 40],
        Mean = [0.5f], Std = [0.25f], ClassNames = ["a", "b"], Tuned = [], Hyperparameters = [], Optimizer = "agd",
        WeightSteps = 1, Epochs = 0.1, Parameters = 10, ValidationAccuracy = 0.5,
    };

    public void Dispose()
    {
        runs.Dispose();
        data.Dispose();
    }
}
