using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

public sealed class TruncationSelectionTests
{
    [Theory]
    [InlineData(0, 0.25, 0)]
    [InlineData(1, 0.25, 0)]   // nobody to copy from
    [InlineData(2, 0.25, 1)]   // at least one once two are ranked
    [InlineData(3, 0.25, 1)]
    [InlineData(4, 0.25, 1)]
    [InlineData(8, 0.25, 2)]
    [InlineData(10, 0.3, 3)]   // 10 × 0.3 is 2.9999999999999996 in binary
    [InlineData(5, 0.5, 2)]    // never more than half: top and bottom stay apart
    [InlineData(16, 0.2, 3)]
    public void The_quantile_count_is_the_floor_of_n_times_q_within_one_and_half(int ranked, double quantile, int expected)
    {
        Assert.Equal(expected, TruncationSelection.QuantileCount(ranked, quantile));
    }

    [Fact]
    public void Ranking_orders_by_validation_loss_then_id_and_leaves_out_failed_and_unreported_members()
    {
        PopulationMember Member(string id, double? loss, MemberStatus status = MemberStatus.Running) => new()
        {
            Id = id,
            Status = status,
            Hyperparameters = HyperparameterSet.Empty,
            LastReport = loss is { } l ? new LossReport(100, l, l, 0.5, DateTimeOffset.UnixEpoch) : null,
        };

        var ranked = TruncationSelection.Rank(
        [
            Member("m03", 0.4), Member("m01", 0.2), Member("m02", 0.4), Member("m00", null),
            Member("m04", 0.1, MemberStatus.Failed), Member("m05", 0.3, MemberStatus.Finished), Member("m06", 0.35, MemberStatus.Pending),
        ]);

        Assert.Equal(["m01", "m05", "m06", "m02", "m03"], ranked.Select(m => m.Id));
    }
}
