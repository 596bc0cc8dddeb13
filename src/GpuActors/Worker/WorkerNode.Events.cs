using HyperSwarm.GpuActors.Training;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.GpuActors.Worker;

// The event loop: every member event updates what the node knows and, while a session is up,
// goes to the coordinator. While none is, the latest report and checkpoint are kept for the
// resend after the rejoin.
public sealed partial class WorkerNode
{
    private async Task PumpAsync()
    {
        await foreach (var e in events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Apply(e);
            Log(e);
            options.OnMemberEvent?.Invoke(e);
        }
    }

    private void Apply(MemberEvent e)
    {
        lock (gate)
        {
            if (!members.TryGetValue(e.MemberId, out var member)) return;
            switch (e)
            {
                case MemberEvent.Started started:
                    if (member.IsActive) member.State = MemberState.Running;
                    member.Step = started.Step;
                    break;
                case MemberEvent.Reported reported:
                    member.LatestReport = reported.Report.Clone();
                    member.LatestReport.Epoch = member.Epoch;
                    member.Step = reported.Report.Step;
                    link?.SendReport(member.LatestReport);
                    break;
                case MemberEvent.Checkpointed checkpointed:
                    member.LastCheckpoint = checkpointed.Checkpoint;
                    link?.SendCheckpoint(checkpointed.Checkpoint, member.Epoch);
                    break;
                case MemberEvent.Diverged diverged:
                    member.LatestReport = DivergenceReport(member, diverged.Divergence);
                    link?.SendReport(member.LatestReport);
                    break;
                case MemberEvent.CommandFailed { Decision: > 0 } failed:
                    // The coordinator recorded the change when it decided it: it puts its record
                    // back. Lost when no session is up: the rejoin restarts the member anyway.
                    link?.SendCommandFailed(new CommandFailed
                    {
                        MemberId = member.MemberId, Epoch = member.Epoch, Decision = failed.Decision, Command = failed.Command,
                        Reason = failed.Error.Message,
                    });
                    break;
                case MemberEvent.Ended ended when member.IsActive:
                    // No result and no error: stopped before training began.
                    member.State = ended.Error is not null ? MemberState.Failed
                        : ended.Result is null || ended.Result.StoppedBy == TrainingRun.StoppedByOwner ? MemberState.Stopped
                        : MemberState.Finished;
                    member.FinalNoticeOwed = link is null;
                    // Ended on its own: the coordinator hears it now (after the final checkpoint
                    // notice, sent before), not from the member's absence in heartbeats.
                    if (!member.Stopping && member.State is MemberState.Finished or MemberState.Failed) member.EndNotice = EndNotice(member, ended);
                    if (member.EndNotice is { } notice && link is not null)
                    {
                        link.SendEnded(notice);
                        member.EndNotice = null;
                    }

                    member.Ended.TrySetResult();
                    break;
            }
        }
    }

    private static MemberEnded EndNotice(MemberEntry member, MemberEvent.Ended ended) => new()
    {
        MemberId = member.MemberId,
        Epoch = member.Epoch,
        Outcome = ended.Error is not null ? MemberEnded.Types.Outcome.Failed : MemberEnded.Types.Outcome.Finished,
        Step = ended.Result?.WeightSteps ?? member.Step,
        Reason = ended.Error?.Message ?? $"stopped by {ended.Result?.StoppedBy}",
    };

    // The wire has no divergence message: a report whose train loss is NaN says it, with the
    // restored hyperparameters, so the coordinator re-explores the member (docs/worker.md).
    private static MemberReport DivergenceReport(MemberEntry member, MemberDivergence divergence)
    {
        var report = member.LatestReport?.Clone() ?? new MemberReport { MemberId = member.MemberId, ValidationLoss = double.NaN, ValidationAccuracy = double.NaN };
        report.Epoch = member.Epoch;
        report.Step = divergence.Step;
        report.TrainLoss = double.NaN;
        report.ExamplesPerSecond = 0;
        report.Hyperparameters = divergence.Hyperparameters;
        return report;
    }

    private void Log(MemberEvent e)
    {
        switch (e)
        {
            case MemberEvent.Started { Unusable: { } unusable } started:
                logger.LogWarning("Member {Member} trains from weight step {Step}, its newest valid checkpoint: {Problem}", started.MemberId, started.Step, unusable.Message);
                break;
            case MemberEvent.Started started:
                logger.LogInformation("Member {Member} trains from weight step {Step}.", started.MemberId, started.Step);
                break;
            case MemberEvent.Diverged diverged:
                logger.LogWarning("Member {Member} diverged at weight step {Step} (loss {Loss}); restored step {Restored}.",
                    diverged.MemberId, diverged.Divergence.Step, diverged.Divergence.Loss, diverged.Divergence.RestoredStep);
                break;
            case MemberEvent.CommandFailed failed:
                logger.LogWarning(failed.Error, "Member {Member}: {Command} failed and changed nothing.", failed.MemberId, failed.Command);
                break;
            case MemberEvent.Ended { Error: { } error } ended:
                logger.LogError(error, "Member {Member} failed.", ended.MemberId);
                break;
            case MemberEvent.Ended ended:
                logger.LogInformation("Member {Member} ended ({StoppedBy}) at weight step {Step}.", ended.MemberId, ended.Result?.StoppedBy, ended.Result?.WeightSteps);
                break;
        }
    }
}
