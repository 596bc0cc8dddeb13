using HyperSwarm.GpuActors.Stn;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// The plan decides what a run tunes and what it holds fixed; config mistakes must name the key.
public sealed class HyperparameterPlanTests
{
    private static readonly string[] Augmentations =
        ["augment.cutout_length", "augment.cutout_holes", "augment.shift", "augment.flip", "augment.brightness", "augment.contrast"];

    [Fact]
    public void Densenet_catalog_has_input_and_block_dropouts_then_the_augmentations()
    {
        var names = HyperparameterPlan.Catalog("densenet-bc").Select(s => s.Name);

        Assert.Equal(["dropout.input", "dropout.block1", "dropout.block2", "dropout.block3", .. Augmentations], names);
    }

    [Fact]
    public void Small_cnn_catalog_has_stage_dropouts_instead_of_block_dropouts()
    {
        var names = HyperparameterPlan.Catalog("small-cnn").Select(s => s.Name);

        Assert.Equal(["dropout.input", "dropout.stage0", "dropout.stage1", "dropout.stage2", .. Augmentations], names);
    }

    [Fact]
    public void By_default_self_tuning_tunes_the_whole_catalog_and_fixes_nothing()
    {
        var plan = HyperparameterPlan.Resolve(new StnConfig(), "densenet-bc");

        Assert.Equal(HyperparameterPlan.Catalog("densenet-bc"), plan.Tuned);
        Assert.Empty(plan.Fixed);
    }

    [Fact]
    public void A_tune_subset_tunes_only_those_and_fixes_the_rest_at_their_starts()
    {
        var plan = HyperparameterPlan.Resolve(new StnConfig { Tune = ["augment.shift", "dropout.stage1"] }, "small-cnn");

        // Tuned in catalog (gate-input) order, not in the order the list gave them.
        Assert.Equal(["dropout.stage1", "augment.shift"], plan.Tuned.Select(s => s.Name));
        var catalog = HyperparameterPlan.Catalog("small-cnn");
        Assert.Equal(catalog.Count - 2, plan.Fixed.Count);
        foreach (var spec in catalog.Where(s => s.Name is not ("augment.shift" or "dropout.stage1")))
        {
            Assert.Equal(spec.Initial, plan.Fixed[spec.Name]);
        }
    }

    [Fact]
    public void Initial_overrides_the_start_of_tuned_and_fixed_hyperparameters()
    {
        var stn = new StnConfig
        {
            Tune = ["dropout.input"],
            Initial = new Dictionary<string, double> { ["dropout.input"] = 0.3, ["augment.cutout_length"] = 9.7, ["augment.flip"] = 0 },
        };

        var plan = HyperparameterPlan.Resolve(stn, "densenet-bc");

        Assert.Equal(0.3, Assert.Single(plan.Tuned).Initial);
        Assert.Equal(9, plan.Fixed["augment.cutout_length"]); // discrete: floored
        Assert.Equal(0, plan.Fixed["augment.flip"]);          // a fixed value may sit on its bound
    }

    [Fact]
    public void Stn_disabled_tunes_nothing_even_with_a_tune_list()
    {
        var plan = HyperparameterPlan.Resolve(new StnConfig { Enabled = false, Tune = ["augment.shift"] }, "small-cnn");

        Assert.Empty(plan.Tuned);
        var catalog = HyperparameterPlan.Catalog("small-cnn");
        Assert.Equal(catalog.Select(s => s.Name).Order(StringComparer.Ordinal), plan.Fixed.Keys.Order(StringComparer.Ordinal));
        Assert.All(catalog, spec => Assert.Equal(spec.Initial, plan.Fixed[spec.Name]));
    }

    [Theory]
    [InlineData("tune")]
    [InlineData("initial")]
    public void An_unknown_name_is_refused_naming_the_key_and_the_name(string key)
    {
        var stn = key == "tune"
            ? new StnConfig { Tune = ["dropout.block1"] }                                          // a DenseNet name on the small CNN
            : new StnConfig { Initial = new Dictionary<string, double> { ["dropout.block1"] = 0.1 } };

        var e = Assert.Throws<ArgumentException>(() => HyperparameterPlan.Resolve(stn, "small-cnn"));

        Assert.Contains($"stn.{key}", e.Message, StringComparison.Ordinal);
        Assert.Contains("'dropout.block1'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 0.95)]   // a tuned value must lie strictly inside its range
    [InlineData(true, -0.1)]
    [InlineData(false, 1.5)]   // a fixed value may touch its bounds but not leave them
    public void An_out_of_range_start_is_refused_naming_the_key_and_the_hyperparameter(bool tuned, double value)
    {
        var stn = new StnConfig
        {
            Enabled = tuned,
            Initial = new Dictionary<string, double> { ["dropout.input"] = value },
        };

        var e = Assert.Throws<ArgumentException>(() => HyperparameterPlan.Resolve(stn, "densenet-bc"));

        Assert.Contains("stn.initial", e.Message, StringComparison.Ordinal);
        Assert.Contains("dropout.input", e.Message, StringComparison.Ordinal);
    }
}
