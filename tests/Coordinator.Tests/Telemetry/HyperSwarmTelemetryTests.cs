using System.Diagnostics;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Telemetry;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Telemetry;

public sealed class HyperSwarmTelemetryTests : IDisposable
{
    private readonly HyperSwarmTelemetry _telemetry = new();
    private readonly MeasurementRecorder _recorder;

    public HyperSwarmTelemetryTests()
    {
        _recorder = new MeasurementRecorder(_telemetry.Meter);
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _telemetry.Dispose();
    }

    [Fact]
    public void A_report_publishes_every_value_tagged_by_member()
    {
        _telemetry.RecordReport("m7", 1200, 0.61, 0.72, 0.83,
            new Dictionary<string, double> { ["dropout"] = 0.15, ["cutout"] = 4 }, 2500);

        Assert.Equal((0.61, "1", "m7"), Single(TelemetryNames.TrainLoss));
        Assert.Equal((0.72, "1", "m7"), Single(TelemetryNames.ValidationLoss));
        Assert.Equal((0.83, "1", "m7"), Single(TelemetryNames.ValidationAccuracy));
        Assert.Equal((1200.0, "{step}", "m7"), Single(TelemetryNames.Step));
        Assert.Equal((2500.0, "{image}/s", "m7"), Single(TelemetryNames.Throughput));
        IReadOnlyList<Measurement> hypers = _recorder.Of(TelemetryNames.HyperparameterValue);
        Assert.Equal(
            [("cutout", 4.0), ("dropout", 0.15)],
            hypers.Where(h => h.Tag(TelemetryNames.Member) == "m7").Select(h => (h.Tag(TelemetryNames.Hyperparameter)!, h.Value)).Order());
        Assert.Equal(1, Assert.Single(_recorder.Of(TelemetryNames.Reports)).Value);
    }

    [Fact]
    public void A_report_before_the_first_validation_publishes_no_validation_values()
    {
        // A member reports every few steps but validates once an epoch: until then its report
        // carries NaN, which Prometheus would store and serve as the member's score.
        _telemetry.RecordReport("m1", 10, 1.9, double.NaN, double.NaN, new Dictionary<string, double>(), 800);

        Assert.Empty(_recorder.Of(TelemetryNames.ValidationLoss));
        Assert.Empty(_recorder.Of(TelemetryNames.ValidationAccuracy));
        Assert.Equal((1.9, "1", "m1"), Single(TelemetryNames.TrainLoss));
        Assert.Equal((10.0, "{step}", "m1"), Single(TelemetryNames.Step));
    }

    [Fact]
    public void A_wire_report_publishes_the_constrained_hyperparameter_values()
    {
        var report = new MemberReport
        {
            MemberId = "m2", Step = 40, TrainLoss = 1.5, ValidationLoss = 1.75, ValidationAccuracy = 0.5, ExamplesPerSecond = 900, Epoch = 3,
            Hyperparameters = new HyperparameterState
            {
                Hyperparameters = { new Hyperparameter { Name = "dropout", Constrained = 0.3, Unconstrained = -0.85 } },
            },
        };

        _telemetry.RecordReport(report);

        Assert.Equal((1.75, "1", "m2"), Single(TelemetryNames.ValidationLoss));
        Measurement dropout = Assert.Single(_recorder.Of(TelemetryNames.HyperparameterValue));
        Assert.Equal(("dropout", 0.3), (dropout.Tag(TelemetryNames.Hyperparameter), dropout.Value));
    }

    [Fact]
    public void Exchanges_are_counted_by_kind_without_member_tags()
    {
        _telemetry.RecordExchange(ExchangeKind.Hyperparameters, "m1", "m2");
        _telemetry.RecordExchange(ExchangeKind.Exploit, "m1", "m3");
        _telemetry.RecordExchange(ExchangeKind.Hyperparameters, "m4", "m5");

        IReadOnlyList<Measurement> exchanges = _recorder.Of(TelemetryNames.Exchanges);
        Assert.Equal(["exploit", "hyperparameters", "hyperparameters"], exchanges.Select(e => e.Tag(TelemetryNames.Kind)).Order());
        Assert.All(exchanges, e => Assert.Equal([TelemetryNames.Kind], e.Tags.Keys));
    }

    [Fact]
    public void Worker_health_counts_every_state_including_empty_ones()
    {
        _telemetry.RecordWorkerHealth(
        [
            new WorkerHealth("w1", 1, WorkerState.Up),
            new WorkerHealth("w2", 2, WorkerState.Up),
            new WorkerHealth("w3", 3, WorkerState.Unreachable),
        ]);

        Dictionary<string, double> byState = _recorder.Of(TelemetryNames.Workers).ToDictionary(m => m.Tag(TelemetryNames.State)!, m => m.Value);
        Assert.Equal(new Dictionary<string, double> { ["joining"] = 0, ["up"] = 2, ["unreachable"] = 1, ["down"] = 0, ["left"] = 0 }, byState);
    }

    [Fact]
    public void Failures_and_refusals_are_counted_by_reason_and_accepted_messages_are_not()
    {
        _telemetry.RecordWorkerDown(new WorkerDown("w1", 4, DownReason.Unreachable));
        _telemetry.RecordAdmission(new Admission(AdmissionVerdict.StaleEpoch, "w1", 4, 5));
        _telemetry.RecordAdmission(new Admission(AdmissionVerdict.Accepted, "w1", 5, 5));

        Assert.Equal("unreachable", Assert.Single(_recorder.Of(TelemetryNames.WorkerFailures)).Tag(TelemetryNames.Reason));
        Assert.Equal("stale_epoch", Assert.Single(_recorder.Of(TelemetryNames.RefusedMessages)).Tag(TelemetryNames.Verdict));
    }

    [Fact]
    public void Spans_carry_their_names_and_tags()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _telemetry.ActivitySource),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        using (_telemetry.StartJoin("w9"))
        {
        }

        using (Activity? exchange = _telemetry.StartExchange(ExchangeKind.Exploit, "m1", "m2"))
        {
            using (_telemetry.StartExploitTransfer("m1", "m2", 300))
            {
            }

            Assert.NotNull(exchange);
        }

        using (_telemetry.StartCheckpoint("m4", 900))
        {
        }

        Assert.Equal(
            [TelemetryNames.JoinSpan, TelemetryNames.ExploitTransferSpan, TelemetryNames.ExchangeSpan, TelemetryNames.CheckpointSpan],
            stopped.Select(a => a.OperationName));
        Assert.Equal("w9", stopped[0].GetTagItem(TelemetryNames.Worker));
        Assert.Equal(stopped[2].SpanId, stopped[1].ParentSpanId);
        Assert.Equal(("m1", "m2", 300L), (stopped[1].GetTagItem(TelemetryNames.SourceMember), stopped[1].GetTagItem(TelemetryNames.Member), stopped[1].GetTagItem(TelemetryNames.StepTag)));
        Assert.Equal("exploit", stopped[2].GetTagItem(TelemetryNames.Kind));
        Assert.Equal(900L, stopped[3].GetTagItem(TelemetryNames.StepTag));
    }

    private (double Value, string? Unit, string? Member) Single(string instrument)
    {
        Measurement m = Assert.Single(_recorder.Of(instrument));
        return (m.Value, m.Unit, m.Tag(TelemetryNames.Member));
    }
}
