using HyperSwarm.Coordinator.Population;
using Grpc.Core;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// Checks what a worker sent before it reaches the population, and turns it into the machine's
/// events. A message no correct worker would send is refused with INVALID_ARGUMENT, naming the
/// field (DESIGN.md §5: bad input gets a precise error, never a crash): a Join's call ends with
/// it, a message over the cluster is dropped with a warning.
/// </summary>
internal static class WireInput
{
    private const int MaxIdLength = 200;

    public static void CheckJoin(JoinRequest join)
    {
        CheckId(join.WorkerId, "worker_id");
        if (join.Capacity is < 0 or > 4096) throw Invalid($"capacity must be between 0 (one per device) and 4096, got {join.Capacity}.");
        if (join.Devices.Any(d => string.IsNullOrWhiteSpace(d.Name))) throw Invalid("every device needs a name.");
        if (join.Capacity == 0 && join.Devices.Count == 0) throw Invalid("a worker needs a capacity or at least one device.");
        if (!Akka.Actor.Address.TryParse(join.ClusterAddress, out var node) || node.Host is null || node.Port is null)
            throw Invalid($"cluster_address must be the worker's Akka address (akka.tcp://hyperswarm@host:port), got '{join.ClusterAddress}'.");
        if (join.ClusterUid == 0) throw Invalid("cluster_uid must be the uid of the worker's actor system.");
        if (join.Postbox.Length > 0 && (!join.Postbox.StartsWith("/user/", StringComparison.Ordinal) || join.Postbox.Any(c => char.IsControl(c) || c is ' ' or '#')))
            throw Invalid($"postbox must be an actor path under /user, got '{join.Postbox}'.");
    }

    public static MemberReported Report(MemberReport report, string workerId, DateTimeOffset now)
    {
        CheckId(report.MemberId, "member_id");
        if (report.Step < 0) throw Invalid($"report for {report.MemberId}: step {report.Step} is negative.");
        try
        {
            return report.ToInput(workerId, now);
        }
        catch (ArgumentException error)
        {
            throw Invalid($"report for {report.MemberId}: {error.Message}");
        }
    }

    public static CheckpointWritten Notice(CheckpointNotice notice, string workerId, DateTimeOffset now)
    {
        var checkpoint = notice.Checkpoint ?? throw Invalid("a checkpoint notice must carry a checkpoint.");
        CheckId(checkpoint.MemberId, "checkpoint.member_id");
        var what = $"checkpoint of {checkpoint.MemberId} at step {checkpoint.Step}";
        if (checkpoint.Step < 0) throw Invalid($"{what}: the step is negative.");
        if (string.IsNullOrWhiteSpace(checkpoint.Path)) throw Invalid($"{what}: the path is empty.");
        if (checkpoint.SizeBytes < 0) throw Invalid($"{what}: the size is negative.");
        if (checkpoint.Sha256.Length != 32) throw Invalid($"{what}: sha256 must be 32 bytes, got {checkpoint.Sha256.Length}.");
        if (notice.Epoch < 0) throw Invalid($"{what}: the epoch is negative.");
        return notice.ToInput(workerId, now);
    }

    /// <summary>A member's end as the machine's input: finished, or failed (which covers a start that could not be carried out).</summary>
    public static PopulationInput Ended(MemberEnded ended, string workerId, DateTimeOffset now)
    {
        CheckId(ended.MemberId, "member_id");
        if (ended.Epoch < 0) throw Invalid($"end of {ended.MemberId}: the epoch is negative.");
        if (ended.Step < 0) throw Invalid($"end of {ended.MemberId}: step {ended.Step} is negative.");
        var reason = string.IsNullOrWhiteSpace(ended.Reason) ? "no reason given" : ended.Reason;
        return ended.Outcome switch
        {
            MemberEnded.Types.Outcome.Finished => new MemberFinished(now, workerId, ended.MemberId, ended.Epoch, ended.Step),
            MemberEnded.Types.Outcome.Failed => new MemberFailed(now, workerId, ended.MemberId, ended.Epoch, $"failed on {workerId} at step {ended.Step}: {reason}"),
            MemberEnded.Types.Outcome.NotStarted => new MemberFailed(now, workerId, ended.MemberId, ended.Epoch, $"could not be started on {workerId}: {reason}"),
            _ => throw Invalid($"end of {ended.MemberId}: the outcome must be finished, failed or not started."),
        };
    }

    /// <summary>An exchange or exploit the worker could not carry out, as the machine's input.</summary>
    public static PopulationInput CommandFailed(CommandFailed failed, string workerId, DateTimeOffset now)
    {
        CheckId(failed.MemberId, "member_id");
        if (failed.Epoch < 0) throw Invalid($"failure for {failed.MemberId}: the epoch is negative.");
        if (failed.Decision < 1) throw Invalid($"failure for {failed.MemberId}: it names no decision.");
        var reason = string.IsNullOrWhiteSpace(failed.Reason) ? "no reason given" : failed.Reason;
        return new ChangeFailed(now, workerId, failed.MemberId, failed.Epoch, failed.Decision, $"{failed.Command}: {reason}");
    }

    private static void CheckId(string id, string field)
    {
        if (string.IsNullOrWhiteSpace(id)) throw Invalid($"{field} is empty.");
        if (id.Length > MaxIdLength || id.Any(char.IsControl)) throw Invalid($"{field} must be at most {MaxIdLength} printable characters.");
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
