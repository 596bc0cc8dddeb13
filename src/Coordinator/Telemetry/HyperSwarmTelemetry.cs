using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>
/// The coordinator's metrics and traces: one <see cref="Meter"/> and one
/// <see cref="ActivitySource"/>, both named <see cref="TelemetryNames.Source"/>, and the few
/// calls the coordinator makes to feed them. Recording costs next to nothing when no listener
/// (no <see cref="TelemetrySetup"/> exporter, no dashboard) is attached.
/// </summary>
/// <remarks>
/// Per-member values are synchronous gauges: the last report wins, which is what a dashboard of
/// a population shows. Pairs of members never become metric tags (N² series); they go on spans.
/// </remarks>
public sealed class HyperSwarmTelemetry : IDisposable
{
    private static readonly string? Version = typeof(HyperSwarmTelemetry).Assembly.GetName().Version?.ToString();

    private readonly Gauge<double> _trainLoss;
    private readonly Gauge<double> _validationLoss;
    private readonly Gauge<double> _validationAccuracy;
    private readonly Gauge<long> _step;
    private readonly Gauge<double> _hyperparameter;
    private readonly Gauge<double> _throughput;
    private readonly Counter<long> _reports;
    private readonly Counter<long> _exchanges;
    private readonly Gauge<int> _workers;
    private readonly Counter<long> _workerFailures;
    private readonly Counter<long> _refusedMessages;

    /// <summary>Creates the meter, the activity source and every instrument.</summary>
    public HyperSwarmTelemetry()
    {
        Meter = new Meter(TelemetryNames.Source, Version);
        ActivitySource = new ActivitySource(TelemetryNames.Source, Version);

        _trainLoss = Meter.CreateGauge<double>(TelemetryNames.TrainLoss, "1", "Training loss of the member's last report.");
        _validationLoss = Meter.CreateGauge<double>(TelemetryNames.ValidationLoss, "1", "Validation loss of the member's last report.");
        _validationAccuracy = Meter.CreateGauge<double>(TelemetryNames.ValidationAccuracy, "1", "Validation accuracy (0..1) of the member's last validated report.");
        _step = Meter.CreateGauge<long>(TelemetryNames.Step, "{step}", "Training step of the member's last report.");
        _hyperparameter = Meter.CreateGauge<double>(TelemetryNames.HyperparameterValue, "1", "Current value of a member's hyperparameter, as the model sees it.");
        _throughput = Meter.CreateGauge<double>(TelemetryNames.Throughput, "{image}/s", "Training images per second of the member.");
        _reports = Meter.CreateCounter<long>(TelemetryNames.Reports, "{report}", "Member reports received.");
        _exchanges = Meter.CreateCounter<long>(TelemetryNames.Exchanges, "{exchange}", "Hyperparameter exchanges and weight exploits decided.");
        _workers = Meter.CreateGauge<int>(TelemetryNames.Workers, "{worker}", "Workers in each membership state.");
        _workerFailures = Meter.CreateCounter<long>(TelemetryNames.WorkerFailures, "{lease}", "Leases that ended without the worker leaving.");
        _refusedMessages = Meter.CreateCounter<long>(TelemetryNames.RefusedMessages, "{message}", "Worker messages refused by fencing.");
    }

    /// <summary>The meter every instrument belongs to.</summary>
    public Meter Meter { get; }

    /// <summary>The source of every HyperSwarm span.</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>Records one member report: losses, accuracy, step, every hyperparameter and throughput.</summary>
    public void RecordReport(
        string memberId,
        long step,
        double trainLoss,
        double validationLoss,
        double validationAccuracy,
        IReadOnlyDictionary<string, double> hyperparameters,
        double imagesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var member = new KeyValuePair<string, object?>(TelemetryNames.Member, memberId);
        _trainLoss.Record(trainLoss, member);
        // A report before the member's first validation carries NaN for both: recording it would
        // publish a NaN series that dashboards and alerts read as a score; the gauge instead
        // appears with the first validation and keeps the last one.
        if (!double.IsNaN(validationLoss)) _validationLoss.Record(validationLoss, member);
        if (!double.IsNaN(validationAccuracy)) _validationAccuracy.Record(validationAccuracy, member);
        _step.Record(step, member);
        _throughput.Record(imagesPerSecond, member);
        foreach ((string name, double value) in hyperparameters)
        {
            _hyperparameter.Record(value, member, new KeyValuePair<string, object?>(TelemetryNames.Hyperparameter, name));
        }

        _reports.Add(1);
    }

    /// <summary>Records a report as it came off the wire; hyperparameters are their constrained values.</summary>
    public void RecordReport(MemberReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Hyperparameter h in report.Hyperparameters?.Hyperparameters ?? [])
        {
            values[h.Name] = h.Constrained;
        }

        RecordReport(report.MemberId, report.Step, report.TrainLoss, report.ValidationLoss,
            report.ValidationAccuracy, values, report.ExamplesPerSecond);
    }

    /// <summary>
    /// Counts one exchange decision. <paramref name="sourceMember"/> and <paramref name="targetMember"/>
    /// also tag the current activity, if any, since they cannot be metric tags.
    /// </summary>
    public void RecordExchange(ExchangeKind kind, string sourceMember, string targetMember)
    {
        _exchanges.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Kind, KindTag(kind)));
        Activity.Current?.AddEvent(new ActivityEvent("exchange", tags: new ActivityTagsCollection
        {
            [TelemetryNames.Kind] = KindTag(kind),
            [TelemetryNames.SourceMember] = sourceMember,
            [TelemetryNames.Member] = targetMember,
        }));
    }

    /// <summary>
    /// Publishes a membership snapshot: the number of workers in every state (0 included, so a
    /// state that emptied reads 0 rather than its last count).
    /// </summary>
    public void RecordWorkerHealth(IReadOnlyCollection<WorkerHealth> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        Span<int> counts = stackalloc int[Enum.GetValues<WorkerState>().Length];
        foreach (WorkerHealth worker in workers)
        {
            counts[(int)worker.State]++;
        }

        foreach (WorkerState state in Enum.GetValues<WorkerState>())
        {
            _workers.Record(counts[(int)state], new KeyValuePair<string, object?>(TelemetryNames.State, SnakeCase(state.ToString())));
        }
    }

    /// <summary>Counts a lease that ended without the worker leaving (downed, removed, never joined, or superseded by a rejoin).</summary>
    public void RecordWorkerDown(WorkerDown down)
    {
        ArgumentNullException.ThrowIfNull(down);
        _workerFailures.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Reason, SnakeCase(down.Reason.ToString())));
    }

    /// <summary>Counts a refused message; accepted ones are ignored.</summary>
    public void RecordAdmission(Admission admission)
    {
        if (!admission.IsAccepted)
        {
            _refusedMessages.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Verdict, SnakeCase(admission.Verdict.ToString())));
        }
    }

    /// <summary>Starts the span of a worker's Join; null when nobody listens.</summary>
    public Activity? StartJoin(string workerId) =>
        ActivitySource.StartActivity(TelemetryNames.JoinSpan, ActivityKind.Server)
            ?.SetTag(TelemetryNames.Worker, workerId);

    /// <summary>Starts the span of one exchange; null when nobody listens.</summary>
    public Activity? StartExchange(ExchangeKind kind, string sourceMember, string targetMember) =>
        ActivitySource.StartActivity(TelemetryNames.ExchangeSpan)
            ?.SetTag(TelemetryNames.Kind, KindTag(kind))
            .SetTag(TelemetryNames.SourceMember, sourceMember)
            .SetTag(TelemetryNames.Member, targetMember);

    /// <summary>Starts the span of a checkpoint moving to an exploiting member; null when nobody listens.</summary>
    public Activity? StartExploitTransfer(string sourceMember, string targetMember, long step) =>
        ActivitySource.StartActivity(TelemetryNames.ExploitTransferSpan)
            ?.SetTag(TelemetryNames.SourceMember, sourceMember)
            .SetTag(TelemetryNames.Member, targetMember)
            .SetTag(TelemetryNames.StepTag, step);

    /// <summary>Starts the span of a member's checkpoint; null when nobody listens.</summary>
    public Activity? StartCheckpoint(string memberId, long step) =>
        ActivitySource.StartActivity(TelemetryNames.CheckpointSpan)
            ?.SetTag(TelemetryNames.Member, memberId)
            .SetTag(TelemetryNames.StepTag, step);

    /// <inheritdoc />
    public void Dispose()
    {
        Meter.Dispose();
        ActivitySource.Dispose();
    }

    private static string KindTag(ExchangeKind kind) => kind switch
    {
        ExchangeKind.Hyperparameters => "hyperparameters",
        ExchangeKind.Exploit => "exploit",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown exchange kind."),
    };

    /// <summary>Enum names as OpenTelemetry tag values: <c>LeaseExpired</c> → <c>lease_expired</c>.</summary>
    private static string SnakeCase(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
