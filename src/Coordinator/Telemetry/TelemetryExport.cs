using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>
/// The running OTLP export started by <see cref="TelemetrySetup.Start"/>. Disposing it shuts
/// the providers down, which exports what is still buffered: dispose it before the process exits.
/// </summary>
public sealed class TelemetryExport : IDisposable
{
    private readonly MeterProvider? _meters;
    private readonly TracerProvider? _tracer;

    internal TelemetryExport(OtlpSettings settings, MeterProvider? meters, TracerProvider? tracer)
    {
        Settings = settings;
        _meters = meters;
        _tracer = tracer;
    }

    /// <summary>What the environment asked for (endpoints, protocols, interval, service name).</summary>
    public OtlpSettings Settings { get; }

    /// <summary>True when metrics are being exported.</summary>
    public bool ExportsMetrics => _meters is not null;

    /// <summary>True when traces are being exported.</summary>
    public bool ExportsTraces => _tracer is not null;

    /// <summary>
    /// Collects and exports everything now and waits for the collector's answer, up to
    /// <paramref name="timeout"/>. False when an export failed or timed out; true when there is
    /// nothing to export.
    /// </summary>
    public bool ForceFlush(TimeSpan timeout)
    {
        int ms = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        bool metricsFlushed = _meters?.ForceFlush(ms) ?? true;
        bool tracesFlushed = _tracer?.ForceFlush(ms) ?? true;
        return metricsFlushed && tracesFlushed;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _tracer?.Dispose();
        _meters?.Dispose();
    }
}
