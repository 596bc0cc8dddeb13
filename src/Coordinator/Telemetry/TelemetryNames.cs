namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>
/// Every name HyperSwarm publishes: meter and source, instruments, tag keys and span names.
/// docs/telemetry.md lists them with units; dashboards and alerts depend on them, so rename
/// only with care.
/// </summary>
public static class TelemetryNames
{
    /// <summary>Name of the <c>Meter</c> and of the <c>ActivitySource</c>.</summary>
    public const string Source = "HyperSwarm";

    /// <summary>Gauge: last reported training loss of a member (tag <see cref="Member"/>).</summary>
    public const string TrainLoss = "hyperswarm.member.train_loss";
    /// <summary>Gauge: last reported validation loss of a member (tag <see cref="Member"/>).</summary>
    public const string ValidationLoss = "hyperswarm.member.validation_loss";
    /// <summary>Gauge: last reported validation accuracy, 0..1 (tag <see cref="Member"/>).</summary>
    public const string ValidationAccuracy = "hyperswarm.member.validation_accuracy";
    /// <summary>Gauge: training step of a member's last report (tag <see cref="Member"/>).</summary>
    public const string Step = "hyperswarm.member.step";
    /// <summary>Gauge: current value of one hyperparameter (tags <see cref="Member"/>, <see cref="Hyperparameter"/>).</summary>
    public const string HyperparameterValue = "hyperswarm.member.hyperparameter";
    /// <summary>Gauge: training throughput of a member in images per second (tag <see cref="Member"/>).</summary>
    public const string Throughput = "hyperswarm.member.throughput";
    /// <summary>Counter: member reports received (no tags).</summary>
    public const string Reports = "hyperswarm.member.reports";
    /// <summary>Counter: hyperparameter exchanges and weight exploits decided (tag <see cref="Kind"/>).</summary>
    public const string Exchanges = "hyperswarm.population.exchanges";
    /// <summary>Gauge: number of workers in each state (tag <see cref="State"/>).</summary>
    public const string Workers = "hyperswarm.workers";
    /// <summary>Counter: leases ended without the worker leaving (tag <see cref="Reason"/>).</summary>
    public const string WorkerFailures = "hyperswarm.worker.failures";
    /// <summary>Counter: worker messages refused by fencing (tag <see cref="Verdict"/>).</summary>
    public const string RefusedMessages = "hyperswarm.worker.refused_messages";

    /// <summary>Tag: member id.</summary>
    public const string Member = "member";
    /// <summary>Tag: the other member of an exchange, whose hyperparameters or weights are copied.</summary>
    public const string SourceMember = "source_member";
    /// <summary>Tag: hyperparameter name.</summary>
    public const string Hyperparameter = "hyperparameter";
    /// <summary>Tag: exchange kind, <c>hyperparameters</c> or <c>exploit</c>.</summary>
    public const string Kind = "kind";
    /// <summary>Tag: worker state, <c>up</c>, <c>suspect</c>, <c>down</c> or <c>left</c>.</summary>
    public const string State = "state";
    /// <summary>Tag: worker id.</summary>
    public const string Worker = "worker";
    /// <summary>Tag: fencing epoch.</summary>
    public const string Epoch = "epoch";
    /// <summary>Tag: training step.</summary>
    public const string StepTag = "step";
    /// <summary>Tag: why a lease ended (<c>phi_exceeded</c>, <c>lease_expired</c>, <c>superseded</c>).</summary>
    public const string Reason = "reason";
    /// <summary>Tag: why a message was refused (<c>stale_epoch</c>, <c>unknown_worker</c>, …).</summary>
    public const string Verdict = "verdict";

    /// <summary>Span: a worker's Join, from request to lease.</summary>
    public const string JoinSpan = "hyperswarm.worker.join";
    /// <summary>Span: one exchange decision carried out (either kind).</summary>
    public const string ExchangeSpan = "hyperswarm.population.exchange";
    /// <summary>Span: a checkpoint moving from the source member's worker to the exploiting member's.</summary>
    public const string ExploitTransferSpan = "hyperswarm.exploit.transfer";
    /// <summary>Span: a member's checkpoint being written and acknowledged.</summary>
    public const string CheckpointSpan = "hyperswarm.member.checkpoint";
}
