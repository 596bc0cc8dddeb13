using HyperSwarm.Protocol.Hyperparameters;
using HyperSwarm.Cli.Run;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Tests.Run;

// The coordinator explores exactly the hyperparameters a member's STN tunes, with the same
// ranges, starts and σ₀: a StartMember whose values the member does not have is refused.
public sealed class SearchSpaceTests
{
    [Fact]
    public void The_default_config_gives_the_trainers_tuned_hyperparameters_one_for_one()
    {
        var config = new TrainConfig();
        var plan = HyperparameterPlan.Resolve(config.Stn, config.Model.Kind);

        var space = SearchSpace.For(config);

        Assert.Equal(plan.Tuned.Select(s => s.Name), space.Select(r => r.Name));
        foreach (var (spec, range) in plan.Tuned.Zip(space))
        {
            Assert.Equal((spec.Lower, spec.Upper, spec.Initial, spec.InitialSigma), (range.Lower, range.Upper, range.Initial, range.Sigma));
            range.Validate(); // a range the coordinator accepts
        }
    }

    [Fact]
    public void Kinds_map_dropouts_to_bounded_and_pixel_counts_to_discrete()
    {
        var space = SearchSpace.For(new TrainConfig()).ToDictionary(r => r.Name);

        Assert.Equal(HyperparameterKind.Bounded, space[HyperparameterNames.InputDropout].Kind);
        Assert.Equal(HyperparameterKind.Discrete, space[HyperparameterNames.CutoutLength].Kind);
        Assert.Equal(HyperparameterKind.Discrete, space[HyperparameterNames.Shift].Kind);
        Assert.Equal(HyperparameterKind.Bounded, space[HyperparameterNames.Flip].Kind);
    }

    [Fact]
    public void A_tune_list_and_initial_values_carry_over_and_self_tuning_off_leaves_nothing_to_explore()
    {
        var config = new TrainConfig();
        var narrowed = config with
        {
            Stn = config.Stn with
            {
                Tune = [HyperparameterNames.InputDropout, HyperparameterNames.CutoutLength],
                Initial = new Dictionary<string, double> { [HyperparameterNames.InputDropout] = 0.2 },
            },
        };

        var space = SearchSpace.For(narrowed);

        Assert.Equal(new[] { HyperparameterNames.InputDropout, HyperparameterNames.CutoutLength }, space.Select(r => r.Name));
        Assert.Equal(0.2, space[0].Initial);
        Assert.Empty(SearchSpace.For(config with { Stn = config.Stn with { Enabled = false } }));
    }
}
