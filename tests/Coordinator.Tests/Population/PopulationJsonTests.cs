using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

public sealed class PopulationJsonTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_state_survives_a_round_trip_including_infinite_bounds()
    {
        var options = RandomHistory.Options;
        var machine = new PopulationMachine(options, new SplitMix64(9));
        machine.Apply(new RunStarted(T0));
        machine.Apply(new WorkerJoined(T0, "w1", "w1:1", ["cuda:0", "cuda:1"]));
        machine.Apply(new CheckpointWritten(T0, "w1", new CheckpointReference("m00", 100, "w1:1", "p", 10, "ab01")));
        var json = PopulationJson.Serialize(machine.State);

        var back = PopulationJson.DeserializeState(json);

        Assert.Equal(json, PopulationJson.Serialize(back));
        Assert.Contains("\"Infinity\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isTerminal", json, StringComparison.Ordinal);
        Assert.Equal(machine.State.RandomState, back.RandomState);
        Assert.Same(StringComparer.Ordinal, back.Members.KeyComparer);
    }

    [Fact]
    public void Events_survive_a_round_trip_with_their_type_and_non_finite_losses()
    {
        PopulationInput[] inputs =
        [
            new RunStarted(T0),
            new WorkerJoined(T0, "w1", "w1:1", ["cuda:0"]),
            new WorkerLost(T0, "w1", "partition"),
            new MemberReported(T0, "w1", "m00", 2, 100, double.NaN, double.PositiveInfinity, 0.1, HyperparameterSet.Empty),
            new CheckpointWritten(T0, "w1", new CheckpointReference("m00", 100, "w1:1", "p", 10, "ab")),
            new MemberDiverged(T0, "w1", "m00", 2, 100, "NaN"),
            new MemberFailed(T0, "w1", "m00", 2, "oom"),
            new MemberFinished(T0, "w1", "m00", 2, 100),
            new TimerTicked(T0),
        ];

        foreach (var input in inputs)
        {
            var json = PopulationJson.Serialize(input);
            var back = PopulationJson.DeserializeInput(json);

            Assert.Equal(input.GetType(), back.GetType());
            Assert.Equal(json, PopulationJson.Serialize(back));
        }
        Assert.StartsWith("{\"type\":\"member_reported\"", PopulationJson.Serialize(inputs[3]), StringComparison.Ordinal);
    }
}
