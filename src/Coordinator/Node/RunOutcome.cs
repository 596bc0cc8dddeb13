using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// How a run ended (<see cref="CoordinatorNode.Completion"/>): the best member and where its
/// weights are. Both are null when no member finished with a finite loss.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="BestMemberId">The member with the lowest validation loss among the finished ones.</param>
/// <param name="Checkpoint">That member's last checkpoint: what to evaluate and export.</param>
/// <param name="ValidationLoss">Its last validation loss (NaN when it never reported).</param>
/// <param name="ValidationAccuracy">Its last validation accuracy (NaN when it never reported).</param>
/// <param name="Step">The step of that report.</param>
public sealed record RunOutcome(
    string RunId,
    string? BestMemberId,
    CheckpointReference? Checkpoint,
    double ValidationLoss,
    double ValidationAccuracy,
    long Step)
{
    internal static RunOutcome Of(string runId, PopulationState state)
    {
        var best = state.Best();
        var report = best?.LastReport;
        return new RunOutcome(runId, best?.Id, best?.Checkpoint, report?.ValidationLoss ?? double.NaN,
            report?.ValidationAccuracy ?? double.NaN, report?.Step ?? 0);
    }
}
