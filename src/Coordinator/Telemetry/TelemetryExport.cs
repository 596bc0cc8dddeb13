using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>
/// The providers <see cref="TelemetrySetup.AddTo"/> put into a running host. The host owns
/// them: stopping and disposing it shuts them down, which exports what is still buffered.
/// </summary>
public sealed class TelemetryExport
{
    private readonly MeterProvider? _meters;
    private readonly TracerProvider? _tracer;

    private TelemetryExport(MeterProvider? meters, TracerProvider? tracer)
    {
        _meters = meters;
        _tracer = tracer;
    }

    /// <summary>True when a meter provider runs (OTLP metrics or the Prometheus endpoint).</summary>
    public bool CollectsMetrics => _meters is not null;

    /// <summary>True when traces are being exported.</summary>
    public bool ExportsTraces => _tracer is not null;

    /// <summary>The providers of a started host's <paramref name="services"/>.</summary>
    public static TelemetryExport Of(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new TelemetryExport(services.GetService<MeterProvider>(), services.GetService<TracerProvider>());
    }

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
}
