using HyperSwarm.Protocol.Hyperparameters;
using Google.Protobuf;
using V1 = HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// Between the machine's plain records and the wire messages of hyperswarm.v1, for the
/// coordinator service: what arrives on a worker session becomes an event, what the machine
/// decides becomes a <c>CoordinatorCommand</c>, and the state and log become the views that
/// GetPopulation and WatchEvents serve. The machine itself never sees a protobuf type.
/// </summary>
public static class ProtocolMapping
{
    /// <summary>A worker's join as an event: slot i trains on device i mod the device count.</summary>
    public static WorkerJoined ToInput(this V1.JoinRequest join, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(join);
        var devices = join.Devices.Select(d => d.Name).DefaultIfEmpty("cpu").ToArray();
        // capacity 0 means "one per device" (coordinator.proto: one per device unless configured).
        var capacity = join.Capacity > 0 ? join.Capacity : devices.Length;
        return new WorkerJoined(now, join.WorkerId, join.Address, [.. Enumerable.Range(0, capacity).Select(i => devices[i % devices.Length])]);
    }

    /// <summary>A report received on <paramref name="workerId"/>'s session as an event.</summary>
    public static MemberReported ToInput(this V1.MemberReport report, string workerId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        var hyperparameters = report.Hyperparameters is { } h && (h.Hyperparameters.Count > 0 || h.Gates.Count > 0)
            ? h.ToHyperparameterSet()
            : null;
        return new MemberReported(now, workerId, report.MemberId, report.Epoch, report.Step, report.TrainLoss,
            report.ValidationLoss, report.ValidationAccuracy, hyperparameters);
    }

    /// <summary>A checkpoint notice received on <paramref name="workerId"/>'s session as an event.</summary>
    public static CheckpointWritten ToInput(this V1.CheckpointNotice notice, string workerId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var checkpoint = notice.Checkpoint ?? throw new ArgumentException("a checkpoint notice must carry a checkpoint.", nameof(notice));
        // Epochs start at 1, so 0 is proto3's "absent": a worker that does not send one is fenced by worker only.
        return new CheckpointWritten(now, workerId, checkpoint.ToCheckpointReference(), notice.Epoch > 0 ? notice.Epoch : null);
    }

    /// <summary>A command as the message sent on the worker's session, numbered <paramref name="sequence"/>.</summary>
    public static V1.CoordinatorCommand ToProto(this PopulationCommand command, long sequence)
    {
        ArgumentNullException.ThrowIfNull(command);
        var message = new V1.CoordinatorCommand { Sequence = sequence };
        switch (command)
        {
            case StartMember start:
                message.Start = new V1.StartMember
                {
                    MemberId = start.MemberId,
                    Device = start.Device,
                    Hyperparameters = start.Hyperparameters.ToProto(),
                    ResumeFrom = start.ResumeFrom?.ToProto(),
                    Epoch = start.Epoch,
                    RunBudgetMs = start.Window is { } w ? (long)w.Budget.TotalMilliseconds : 0,
                    RunDeadlineUnixMs = start.Window is { } e ? e.End.ToUnixTimeMilliseconds() : 0,
                };
                break;
            case StopMember stop:
                message.Stop = new V1.StopMember { MemberId = stop.MemberId, Reason = stop.Reason };
                break;
            case ExchangeHyperparameters exchange:
                message.Exchange = new V1.ExchangeHyperparameters
                {
                    MemberId = exchange.MemberId,
                    SourceMemberId = exchange.SourceMemberId,
                    Hyperparameters = exchange.Hyperparameters.ToProto(),
                    Decision = exchange.Decision,
                };
                break;
            case ExploitCheckpoint exploit:
                message.Exploit = new V1.ExploitCheckpoint
                {
                    MemberId = exploit.MemberId,
                    Source = exploit.Source.ToProto(),
                    Hyperparameters = exploit.Hyperparameters.ToProto(),
                    // The machine sends values it has already explored: the worker must not scale them again.
                    ExploreScale = 1.0,
                    Decision = exploit.Decision,
                };
                break;
            case CheckpointNow now:
                message.CheckpointNow = new V1.CheckpointNow { MemberId = now.MemberId };
                break;
            default:
                throw new ArgumentException($"no wire message for {command.GetType().Name}.", nameof(command));
        }
        return message;
    }

    /// <summary>Wire hyperparameters as the machine's record.</summary>
    public static HyperparameterSet ToHyperparameterSet(this V1.HyperparameterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new HyperparameterSet(
            [.. state.Hyperparameters.Select(h => new HyperparameterValue(h.Name, HyperparameterKindWire.FromWire(h.Kind, h.Name), h.Lower, h.Upper, h.Constrained, h.Unconstrained, h.Sigma, h.SigmaRaw))],
            [.. state.Gates.Select(g => new GateMatrix(g.Layer, g.Rows, g.Columns, [.. g.Values]))],
            state.Step);
    }

    /// <summary>The machine's hyperparameters as the wire message.</summary>
    public static V1.HyperparameterState ToProto(this HyperparameterSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var message = new V1.HyperparameterState { Step = set.Step };
        message.Hyperparameters.AddRange(set.Values.Select(v => new V1.Hyperparameter
        {
            Name = v.Name,
            Kind = v.Kind.ToWire(),
            Lower = v.Lower,
            Upper = v.Upper,
            Constrained = v.Value,
            Unconstrained = v.Unconstrained,
            Sigma = v.Sigma,
            SigmaRaw = v.SigmaRaw,
        }));
        foreach (var gate in set.Gates)
        {
            var coefficients = new V1.GateCoefficients { Layer = gate.Layer, Rows = gate.Rows, Columns = gate.Columns };
            coefficients.Values.AddRange(gate.Values);
            message.Gates.Add(coefficients);
        }
        return message;
    }

    /// <summary>A wire checkpoint reference as the machine's record (checksum as lower-case hex).</summary>
    public static CheckpointReference ToCheckpointReference(this V1.CheckpointRef checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new CheckpointReference(checkpoint.MemberId, checkpoint.Step, checkpoint.WorkerAddress, checkpoint.Path,
            checkpoint.SizeBytes, Convert.ToHexStringLower(checkpoint.Sha256.Span));
    }

    /// <summary>The machine's checkpoint reference as the wire message.</summary>
    public static V1.CheckpointRef ToProto(this CheckpointReference checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new V1.CheckpointRef
        {
            MemberId = checkpoint.MemberId,
            Step = checkpoint.Step,
            WorkerAddress = checkpoint.WorkerAddress,
            Path = checkpoint.Path,
            SizeBytes = checkpoint.SizeBytes,
            Sha256 = ByteString.CopyFrom(Convert.FromHexString(checkpoint.Sha256Hex)),
        };
    }

    /// <summary>A member as GetPopulation and WatchEvents show it.</summary>
    public static V1.Member ToProto(this PopulationMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new V1.Member
        {
            MemberId = member.Id,
            State = member.Status switch
            {
                MemberStatus.Pending => V1.MemberState.Pending,
                MemberStatus.Running => V1.MemberState.Running,
                MemberStatus.Finished => V1.MemberState.Finished,
                _ => V1.MemberState.Failed,
            },
            WorkerId = member.Status == MemberStatus.Running ? member.Slot!.WorkerId : "",
            Step = member.Step,
            ValidationLoss = member.LastReport?.ValidationLoss ?? double.NaN,
            ValidationAccuracy = member.LastReport?.ValidationAccuracy ?? double.NaN,
            Hyperparameters = member.Hyperparameters.ToProto(),
            LastCheckpoint = member.Checkpoint?.ToProto(),
            ParentMemberId = member.ParentId ?? "",
        };
    }

    /// <summary>The population as GetPopulation serves it.</summary>
    public static V1.Population ToProto(this PopulationState state, string runId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var message = new V1.Population { RunId = runId, Sequence = state.Sequence };
        message.Members.AddRange(state.Members.Values.Select(m => m.ToProto()));
        return message;
    }

    /// <summary>An event-log entry as WatchEvents streams it, with its member's state when it names one.</summary>
    public static V1.PopulationEvent ToProto(this EventLogEntry entry, PopulationState state)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(state);
        return new V1.PopulationEvent
        {
            Sequence = entry.Sequence,
            UnixMs = entry.At.ToUnixTimeMilliseconds(),
            Kind = entry.Kind,
            MemberId = entry.MemberId ?? "",
            WorkerId = entry.WorkerId ?? "",
            Reason = entry.Reason,
            Member = entry.MemberId is { } id && state.Members.TryGetValue(id, out var member) ? member.ToProto() : null,
        };
    }
}
