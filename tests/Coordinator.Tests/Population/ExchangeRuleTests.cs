using HyperSwarm.Protocol.Hyperparameters;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

public sealed class ExchangeRuleTests
{
    private static readonly PopulationOptions Options = new() { ExploitRelativeGap = 0.1, ExploitAfterBehindRounds = 3 };
    private static readonly HyperparameterSet Tuned = new([new HyperparameterRange("dropout", HyperparameterKind.Bounded, 0, 0.8, 0.5).ToValue()], [], 100);

    private static PopulationMember Member(string id, double loss, bool checkpoint = true, int behind = 0) => new()
    {
        Id = id,
        Status = MemberStatus.Running,
        Hyperparameters = Tuned,
        LastReport = new LossReport(100, loss, loss, 0.5, DateTimeOffset.UnixEpoch),
        Checkpoint = checkpoint ? new CheckpointReference(id, 100, "w:1", "p", 1, "00") : null,
        BehindRounds = behind,
    };

    [Fact]
    public void A_gap_above_the_threshold_exploits()
    {
        var decision = ExchangeRule.Decide(Member("weak", 0.56), Member("strong", 0.5), Options);

        Assert.Equal(ExchangeKind.Exploit, decision.Kind);
        Assert.Contains("gap 12%", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_within_the_threshold_exchanges_hyperparameters_only()
    {
        var decision = ExchangeRule.Decide(Member("weak", 0.54, behind: 2), Member("strong", 0.5), Options);

        Assert.Equal(ExchangeKind.Hyperparameters, decision.Kind);
    }

    [Fact]
    public void A_member_behind_for_the_configured_rounds_exploits_even_when_close()
    {
        var decision = ExchangeRule.Decide(Member("weak", 0.51, behind: 3), Member("strong", 0.5), Options);

        Assert.Equal(ExchangeKind.Exploit, decision.Kind);
        Assert.Contains("3 ready rounds behind", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_checkpoint_of_its_own_the_strong_member_gives_hyperparameters_only()
    {
        var noCheckpoint = ExchangeRule.Decide(Member("weak", 0.9, behind: 5), Member("strong", 0.5, checkpoint: false), Options);
        // Right after its own exploit, a member's checkpoint is its source's file.
        var borrowed = Member("strong", 0.5) with { Checkpoint = new CheckpointReference("other", 100, "w:1", "p", 1, "00") };
        var borrowedDecision = ExchangeRule.Decide(Member("weak", 0.9), borrowed, Options);

        Assert.Equal(ExchangeKind.Hyperparameters, noCheckpoint.Kind);
        Assert.Equal(ExchangeKind.Hyperparameters, borrowedDecision.Kind);
    }

    [Fact]
    public void A_strong_member_with_nothing_to_give_is_skipped()
    {
        var empty = Member("strong", 0.5, checkpoint: false) with { Hyperparameters = HyperparameterSet.Empty };

        var decision = ExchangeRule.Decide(Member("weak", 0.9), empty, Options);

        Assert.Null(decision.Kind);
    }

    [Fact]
    public void The_gap_is_relative_to_the_strong_loss_so_small_losses_late_in_training_still_exploit()
    {
        var decision = ExchangeRule.Decide(Member("weak", 0.023), Member("strong", 0.02), Options);

        Assert.Equal(ExchangeKind.Exploit, decision.Kind);
    }
}
