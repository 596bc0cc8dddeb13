using System.Globalization;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

/// <summary>How commands, log entries and state read in a transcript: one line each.</summary>
internal static class TranscriptFormat
{
    public static string Command(PopulationCommand command) => command switch
    {
        StartMember s => $"start {s.MemberId} on {s.WorkerId}/{s.Slot} ({s.Device}) epoch={s.Epoch}"
            + (s.ResumeFrom is { } r ? $" resume={Checkpoint(r)}" : "") + $" hp=[{s.Hyperparameters.Describe()}]",
        StopMember s => $"stop {s.MemberId} on {s.WorkerId}: {s.Reason}",
        ExchangeHyperparameters e => $"exchange {e.MemberId} on {e.WorkerId} from {e.SourceMemberId} hp=[{e.Hyperparameters.Describe()}]",
        ExploitCheckpoint e => $"exploit {e.MemberId} on {e.WorkerId} from {Checkpoint(e.Source)} hp=[{e.Hyperparameters.Describe()}]",
        CheckpointNow c => $"checkpoint-now {c.MemberId} on {c.WorkerId}",
        _ => throw new ArgumentException($"no transcript form for {command.GetType().Name}."),
    };

    public static string Log(EventLogEntry entry) => $"log {entry.Kind} {entry.MemberId ?? "-"} {entry.WorkerId ?? "-"}: {entry.Reason}";

    public static string Member(PopulationMember m)
    {
        var where = m.Status == MemberStatus.Running ? $" {m.Slot}" : "";
        var loss = m.LastReport is { } r ? Number(r.ValidationLoss) : "-";
        var line = $"{m.Id} {m.Status.ToString().ToLowerInvariant()}{where} epoch={m.Epoch} step={m.Step} loss={loss}"
            + $" ckpt={Step(m.Checkpoint)} good={Step(m.GoodCheckpoint)} hp=[{m.Hyperparameters.Describe()}]";
        if (m.BehindRounds > 0) line += $" behind={m.BehindRounds}";
        if (m.Restarts > 0) line += $" restarts={m.Restarts}";
        if (m.ParentId is { } parent) line += $" parent={parent}";
        if (m.MoveRequested) line += " moving";
        return line;
    }

    public static string Worker(PopulationState state, string workerId)
    {
        var worker = state.Workers[workerId];
        var load = state.Members.Values.Count(m => m.Status == MemberStatus.Running && m.Slot!.WorkerId == workerId);
        return $"{worker.Id} {load}/{worker.Capacity} [{string.Join(", ", worker.Devices)}]";
    }

    public static string Lineage(LineageEntry e) =>
        $"seq={e.Sequence} {e.MemberId} <- {e.SourceMemberId} {(e.Kind == ExchangeKind.Exploit ? "exploit" : "exchange")} at step {e.Step} (source step {e.SourceStep})";

    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Checkpoint(CheckpointReference c) => $"{c.MemberId}@{c.Step}";

    private static string Step(CheckpointReference? c) => c is null ? "-" : c.Step.ToString(CultureInfo.InvariantCulture);
}
