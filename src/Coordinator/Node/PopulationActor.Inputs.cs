using System.Globalization;
using Grpc.Core;
using HyperSwarm.Coordinator.Cluster;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Population;
using JoinResponse = HyperSwarm.Protocol.V1.JoinResponse;
using RunConfig = HyperSwarm.Protocol.V1.RunConfig;
using Microsoft.Extensions.Logging;
using TelemetryKind = HyperSwarm.Coordinator.Telemetry.ExchangeKind;

namespace HyperSwarm.Coordinator.Node;

// What each input does to the registry and the machine, and where the commands go.
internal sealed partial class PopulationActor
{
    private void OnJoin(JoinRequested join)
    {
        var workerId = join.Request.WorkerId;
        if (_cluster.Unreachable(join.Request.ClusterAddress) is { } why)
        {
            // Refused before anything is recorded: the worker hears why, the run goes on.
            _logger.LogWarning("Refused worker {Worker}'s join: {Reason}", workerId, why);
            join.Reply.TrySetException(new RpcException(new Status(StatusCode.FailedPrecondition, $"Worker '{workerId}' cannot join: {why}")));
            return;
        }

        using var span = _telemetry.StartJoin(workerId);
        var outcome = _registry.Join(workerId, new ClusterIncarnation(join.Request.ClusterAddress, join.Request.ClusterUid));
        var lease = outcome.Lease;
        if (outcome.Superseded is { } old)
        {
            // The worker restarted, or lost its session and joined again: whatever still talks
            // under the old epoch is fenced.
            _telemetry.RecordWorkerDown(old);
            if (_current.TryGetValue(workerId, out var previous))
                previous.Close($"Worker '{workerId}' joined again under epoch {lease.Epoch}; lease epoch {old.Epoch} is fenced.");
        }
        // Where the lease lives is known before the worker hears of it, so before any command for it.
        _cluster.Leases.Issue(lease.Epoch, Akka.Actor.Address.Parse(join.Request.ClusterAddress));
        var link = new WorkerLink(lease, _cluster.Postbox(join.Request.ClusterAddress, join.Request.Postbox), _cluster.Members, _cluster.Leases);
        _byEpoch[lease.Epoch] = link;
        _current[workerId] = link;
        _awaitingRejoin.Remove(workerId);
        // The epoch rides in the join's row: durable before the reply, so a restarted node never issues it again.
        Apply(join.Request.ToInput(Now), lease.Epoch);
        _replies.Add((join.Reply, new JoinResponse
        {
            Lease = lease.ToProto(),
            Run = new RunConfig { RunId = _options.RunId, ConfigYaml = _options.ConfigYaml },
            ClusterSeed = _cluster.Seed,
        }));
        _logger.LogInformation("Worker {Worker} joined with lease {Lease}.", workerId, lease.LeaseId);
    }

    private void OnReport(ReportReceived report)
    {
        if (!Admit(report.Link)) return;
        var output = Apply(report.Input);
        if (!Logged(output, EventKinds.ReportRefused)) _telemetry.RecordReport(report.Wire);
    }

    private void OnNotice(NoticeReceived notice)
    {
        if (!Admit(notice.Link)) return;
        var output = Apply(notice.Input);
        if (Logged(output, EventKinds.CheckpointRefused)) return;
        // Accepted: the registry learns of it, for GC.
        _checkpoints.Add(notice.Input.Checkpoint);
        if (_collector is not null) _collector.Dirty = true;
    }

    // A member running on this worker (by the machine) but missing from its heartbeats for the
    // grace period is not running there: it failed on its own or never started, and the wire
    // has no message for either. It is handled as a failure: restarted from its checkpoint, and
    // failed once its restart budget is spent, so the run neither waits for it for ever nor
    // trains it twice (the new start carries a new epoch).
    private void OnHeartbeat(HeartbeatReceived heartbeat)
    {
        if (!Admit(heartbeat.Link)) return;
        var workerId = heartbeat.Link.WorkerId;
        var listed = heartbeat.MemberIds.ToHashSet(StringComparer.Ordinal);
        var now = heartbeat.ReceivedAt;
        ForgetEndedAbsences();
        foreach (var member in _machine.State.Members.Values)
        {
            if (member.Status != MemberStatus.Running || member.Slot?.WorkerId != workerId) continue;
            var key = (member.Id, member.Epoch);
            if (listed.Contains(member.Id))
            {
                _absentSince.Remove(key);
                continue;
            }
            if (!_absentSince.TryGetValue(key, out var since))
            {
                _absentSince[key] = now;
                continue;
            }
            if (now - since < _options.MemberAbsenceGrace) continue;
            _absentSince.Remove(key);
            var seconds = (now - since).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
            Apply(new MemberFailed(now, workerId, member.Id, member.Epoch, $"not running on {workerId}: missing from its heartbeats for {seconds} s"));
        }
    }

    // An assignment that ended (moved, stopped, finished) while missing needs no watch: epochs
    // are never reused, so its entry would only pile up over a long run.
    private void ForgetEndedAbsences()
    {
        var members = _machine.State.Members;
        foreach (var key in _absentSince.Keys.Where(k => !members.TryGetValue(k.Member, out var m) || m.Status != MemberStatus.Running || m.Epoch != k.Epoch).ToList())
        {
            _absentSince.Remove(key);
        }
    }

    // The lease must still be live: a worker declared down, or replaced by its own rejoin, is
    // told so (LeaseEnded) and must join again.
    private bool Admit(WorkerLink link)
    {
        if (link.Fence is not null) return false;
        var admission = _registry.Admit(link.WorkerId, link.Epoch);
        _telemetry.RecordAdmission(admission);
        if (admission.IsAccepted) return true;
        link.Close(admission.Describe());
        _logger.LogWarning("Refused a message on {Lease}: {Reason}", link.Lease.LeaseId, admission.Describe());
        return false;
    }

    // A member that ended on its own, or could not start: the machine finishes it, or restarts it
    // (failed once its restart budget is spent), at once rather than after its absence grace. An
    // exchange or exploit that failed on the worker comes this way too: the machine puts it back.
    private void OnOutcome(OutcomeReceived ended)
    {
        if (!Admit(ended.Link)) return;
        Apply(ended.Input);
    }

    // A drained worker has sent its final notices: its lease ends as left, not as a failure.
    private void OnDeparture(DepartureReceived departure)
    {
        var link = departure.Link;
        var admission = _registry.Leave(link.WorkerId, link.Epoch);
        _telemetry.RecordAdmission(admission);
        if (!admission.IsAccepted) return;
        link.Close($"Worker '{link.WorkerId}' left ({departure.Reason}).");
        _current.Remove(link.WorkerId);
        _logger.LogInformation("Worker {Worker} left: {Reason}.", link.WorkerId, departure.Reason);
        // Drained before the run's end (an operator's drain): its members move on.
        if (!_machine.State.Completed) Apply(new WorkerLost(departure.ReceivedAt, link.WorkerId, $"left after draining ({departure.Reason})"));
    }

    // Akka.Cluster's failure detector and split-brain resolver decide who is down; the registry
    // maps the node to the lease it carries (none, once superseded or left).
    private void OnNodeChanged(ClusterNodeChanged changed)
    {
        switch (changed.Change)
        {
            case NodeChange.Up:
                _registry.NodeUp(changed.Node);
                break;
            case NodeChange.Unreachable or NodeChange.Reachable:
                if (_registry.NodeReachability(changed.Node, changed.Change == NodeChange.Unreachable))
                    _logger.LogWarning("Worker node {Node} is {Change}.", changed.Node, changed.Change == NodeChange.Unreachable ? "unreachable" : "reachable again");
                break;
            case NodeChange.Downed:
                foreach (var downed in _registry.NodeDown(changed.Node, DownReason.Unreachable)) Lost(downed);
                break;
            case NodeChange.Removed:
                foreach (var removed in _registry.NodeDown(changed.Node, DownReason.Removed)) Lost(removed);
                break;
        }
        _telemetry.RecordWorkerHealth(_registry.Health());
    }

    private void OnSweep()
    {
        var now = Now;
        foreach (var down in _registry.Sweep()) Lost(down);
        if (_awaitingRejoin.Count > 0 && _options.Time.GetElapsedTime(_startedAt) >= _options.Membership.RejoinGrace)
        {
            foreach (var workerId in _awaitingRejoin.Order(StringComparer.Ordinal))
                Apply(new WorkerLost(now, workerId, $"did not join again within {_options.Membership.RejoinGrace.TotalSeconds:G4} s of the coordinator's restart"));
            _awaitingRejoin.Clear();
        }
        _telemetry.RecordWorkerHealth(_registry.Health());
    }

    // A lease ended without the worker leaving: it is fenced and its members move on.
    private void Lost(WorkerDown down)
    {
        _telemetry.RecordWorkerDown(down);
        var reason = Describe(down);
        if (_current.TryGetValue(down.WorkerId, out var link) && link.Epoch == down.Epoch)
        {
            link.Close($"Worker '{down.WorkerId}' was declared down ({reason}); it must join again.");
            _current.Remove(down.WorkerId);
        }
        _logger.LogWarning("Worker {Worker} is down: {Reason}.", down.WorkerId, reason);
        Apply(new WorkerLost(Now, down.WorkerId, reason));
    }

    // Commands leave in the order the machine decided them, each on its worker's current lease.
    // A worker with none (lost, or not back since a restart) gets nothing: when it joins again
    // the machine starts its members afresh.
    private void Route()
    {
        foreach (var (command, decided) in _decided)
        {
            RecordDecision(command);
            if (!_current.TryGetValue(command.WorkerId, out var link)) continue;
            // The trace goes out before the command can: a fast reader must find it.
            link.Send(sequence =>
            {
                _options.CommandQueued?.Invoke(new CommandTrace(link.WorkerId, link.Epoch, sequence, decided));
                return command.ToProto(sequence);
            });
        }
        _decided.Clear();
    }

    private void RecordDecision(PopulationCommand command)
    {
        switch (command)
        {
            case ExchangeHyperparameters exchange:
                using (_telemetry.StartExchange(TelemetryKind.Hyperparameters, exchange.SourceMemberId, exchange.MemberId))
                    _telemetry.RecordExchange(TelemetryKind.Hyperparameters, exchange.SourceMemberId, exchange.MemberId);
                break;
            case ExploitCheckpoint exploit:
                using (_telemetry.StartExchange(TelemetryKind.Exploit, exploit.SourceMemberId, exploit.MemberId))
                    _telemetry.RecordExchange(TelemetryKind.Exploit, exploit.SourceMemberId, exploit.MemberId);
                break;
        }
    }

    private static bool Logged(PopulationOutput output, string kind)
    {
        foreach (var entry in output.Log)
        {
            if (entry.Kind == kind) return true;
        }
        return false;
    }

    private string Describe(WorkerDown down) => down.Reason switch
    {
        DownReason.Unreachable => "its node was unreachable and the split-brain resolver downed it",
        DownReason.Removed => "its node left the cluster without draining",
        DownReason.LeaseExpired => string.Create(CultureInfo.InvariantCulture, $"its node did not join the cluster within {_options.Membership.JoinWithin.TotalSeconds:G4} s"),
        _ => down.Reason.ToString(),
    };
}
