using HyperSwarm.Protocol.Hyperparameters;
using FsCheck;
using FsCheck.Fluent;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

public sealed class ExplorerTests
{
    private static readonly PopulationOptions NoResample = new() { ResampleProbability = 0 };

    private static HyperparameterValue Value(HyperparameterKind kind, double lower, double upper, double value) =>
        new HyperparameterRange("h", kind, lower, upper, value).ToValue();

    private static ScriptedRandom Draws(params double[] draws)
    {
        var random = new ScriptedRandom(1);
        random.Enqueue(draws);
        return random;
    }

    [Fact]
    public void A_coin_below_one_half_multiplies_by_the_down_factor_and_above_by_the_up_factor()
    {
        var dropout = Value(HyperparameterKind.Bounded, 0, 0.8, 0.5);

        var down = Explorer.Explore(dropout, NoResample, Draws(0.9, 0.49));
        var up = Explorer.Explore(dropout, NoResample, Draws(0.9, 0.5));

        Assert.Equal(0.4, down.Value, 12);
        Assert.Equal(0.6, up.Value, 12);
    }

    [Fact]
    public void Explored_values_carry_the_matching_unconstrained_value_and_keep_sigma()
    {
        var dropout = Value(HyperparameterKind.Bounded, 0, 0.8, 0.5) with { Sigma = 0.7, SigmaRaw = 0.3 };

        var explored = Explorer.Explore(dropout, NoResample, Draws(0, 0.9));

        Assert.Equal(explored.Value, HyperparameterTransform.Constrain(explored.Kind, 0, 0.8, explored.Unconstrained), 9);
        Assert.NotEqual(dropout.Unconstrained, explored.Unconstrained);
        Assert.Equal((0.7, 0.3), (explored.Sigma, explored.SigmaRaw));
    }

    [Fact]
    public void A_perturbation_past_a_bound_is_clamped_just_inside_it()
    {
        var dropout = Value(HyperparameterKind.Bounded, 0, 0.8, 0.75);

        var explored = Explorer.Explore(dropout, NoResample, Draws(0, 0.9)); // 0.75 × 1.2 = 0.9

        Assert.True(explored.Value < 0.8);
        Assert.True(explored.Value > 0.7999);
        Assert.True(double.IsFinite(explored.Unconstrained));
    }

    [Theory]
    [InlineData(1, 0.9, 2)]    // 1 × 1.2 rounds back to 1: a step up must still move it
    [InlineData(1, 0.1, 0)]
    [InlineData(8, 0.9, 10)]   // 9.6 rounds to 10
    [InlineData(8, 0.1, 6)]    // 6.4 rounds to 6
    [InlineData(16, 0.9, 16)]  // already at the upper bound
    [InlineData(0, 0.1, 0)]    // already at the lower bound
    public void A_discrete_value_moves_at_least_one_step_and_stays_an_integer_in_range(double start, double coin, double expected)
    {
        var cutout = Value(HyperparameterKind.Discrete, 0, 16, start);

        var explored = Explorer.Explore(cutout, NoResample, Draws(0.99, coin));

        Assert.Equal(expected, explored.Value);
    }

    [Fact]
    public void Resampling_draws_a_two_sided_value_uniformly_from_its_range()
    {
        var options = new PopulationOptions { ResampleProbability = 0.25 };

        var dropout = Explorer.Explore(Value(HyperparameterKind.Bounded, 0, 0.8, 0.5), options, Draws(0.1, 0.25));
        var cutout = Explorer.Explore(Value(HyperparameterKind.Discrete, 0, 16, 8), options, Draws(0.1, 0.999));

        Assert.Equal(0.2, dropout.Value, 12);
        Assert.Equal(16, cutout.Value);
    }

    [Fact]
    public void A_one_sided_value_is_never_resampled_only_perturbed()
    {
        var options = new PopulationOptions { ResampleProbability = 1 };
        var decay = Value(HyperparameterKind.LowerBounded, 0, double.PositiveInfinity, 1e-4);

        var explored = Explorer.Explore(decay, options, Draws(0, 0.9));

        Assert.Equal(1.2e-4, explored.Value, 12);
    }

    [Fact]
    public void A_set_draws_two_numbers_per_hyperparameter_in_column_order()
    {
        var set = new HyperparameterSet(
            [Value(HyperparameterKind.Bounded, 0, 0.8, 0.5), Value(HyperparameterKind.Discrete, 0, 16, 8) with { Name = "cutout" }], [], 0);
        var random = Draws(0.9, 0.9, 0.9, 0.1, 0.5);

        var explored = Explorer.Explore(set, NoResample, random, step: 40);

        Assert.Equal([0.6, 6], explored.Values.Select(v => Math.Round(v.Value, 9)));
        Assert.Equal(40, explored.Step);
        Assert.Equal(1, random.Queued);
    }

    [Fact]
    public void Explore_always_stays_within_bounds()
    {
        var ranges = Gen.Elements(
            (HyperparameterKind.Bounded, 0.0, 0.8),
            (HyperparameterKind.Bounded, -3.0, 2.0),
            (HyperparameterKind.Discrete, 0.0, 16.0),
            (HyperparameterKind.Discrete, 1.0, 3.0),
            (HyperparameterKind.LowerBounded, 0.0, double.PositiveInfinity),
            (HyperparameterKind.LowerBounded, 2.0, double.PositiveInfinity),
            (HyperparameterKind.UpperBounded, double.NegativeInfinity, 1.0));
        var cases =
            from range in ranges
            from position in Gen.Choose(1, 999)
            from rounds in Gen.Choose(1, 30)
            from seed in Gen.Choose(0, int.MaxValue)
            from resample in Gen.Elements(0.0, 0.25, 1.0)
            select (range, position / 1000.0, rounds, seed, resample);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var ((kind, lower, upper), position, rounds, seed, resample) = c;
            var start = kind switch
            {
                HyperparameterKind.Discrete => Math.Floor(lower + position * (upper - lower + 1)),
                HyperparameterKind.LowerBounded => lower + position * 10,
                HyperparameterKind.UpperBounded => upper - position * 10,
                _ => lower + position * (upper - lower),
            };
            var value = Value(kind, lower, upper, start);
            var options = new PopulationOptions { ResampleProbability = resample };
            var random = new SplitMix64((ulong)seed);
            for (var i = 0; i < rounds; i++)
            {
                value = Explorer.Explore(value, options, random);
                var inside = kind switch
                {
                    HyperparameterKind.Bounded => value.Value > lower && value.Value < upper,
                    HyperparameterKind.Discrete => value.Value >= lower && value.Value <= upper && value.Value == Math.Floor(value.Value),
                    HyperparameterKind.LowerBounded => value.Value > lower,
                    _ => value.Value < upper,
                };
                // The worker's map from λ̃ must land on the same value (discrete: the same integer).
                var roundTrip = HyperparameterTransform.Constrain(kind, lower, upper, value.Unconstrained);
                var consistent = kind == HyperparameterKind.Discrete
                    ? roundTrip == value.Value
                    : Math.Abs(roundTrip - value.Value) <= 1e-9 * Math.Max(1, Math.Abs(value.Value));
                if (!inside || !consistent || !double.IsFinite(value.Unconstrained)) return false;
            }
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }
}
