using System.Collections;
using HyperSwarm.Protocol.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>
/// Puts OpenTelemetry into a node's host through the standard hosting integration
/// (OpenTelemetry.Extensions.Hosting): HyperSwarm's meter and activity source, the ASP.NET Core
/// server and gRPC client instrumentations, OTLP export when, and only when, the standard
/// <c>OTEL_EXPORTER_OTLP_*ENDPOINT</c> variables ask for it, and a Prometheus scrape endpoint
/// (<c>/metrics</c>) when the caller wants one.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>Where the Prometheus exporter answers.</summary>
    public const string ScrapePath = "/metrics";

    // Per-member series: one per member, or one per member and hyperparameter. The SDK's
    // default of 2000 series per metric would silently drop members of a 1000-member
    // population with a dozen hyperparameters; its point arrays are preallocated, so the
    // limits stay as low as the largest population we target allows.
    private const int MemberSeriesLimit = 4_096;
    private const int HyperparameterSeriesLimit = 32_768;

    /// <summary>
    /// Adds telemetry to <paramref name="host"/> (before it starts). The whole of
    /// <paramref name="environment"/> becomes the host's configuration, so the exporter's other
    /// variables (<c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>_TIMEOUT</c>, <c>_COMPRESSION</c>) come
    /// from it and never from the process environment behind the caller's back. The providers
    /// start and stop with the host; <see cref="TelemetryExport.Of"/> flushes them.
    /// </summary>
    /// <exception cref="TelemetryConfigurationException">A variable holds a value that cannot be used.</exception>
    public static OtlpSettings AddTo(GrpcHost host, IReadOnlyDictionary<string, string?> environment, bool prometheus = false, string defaultServiceName = "hyperswarm")
    {
        ArgumentNullException.ThrowIfNull(host);
        OtlpSettings settings = OtlpSettings.FromEnvironment(environment, defaultServiceName);
        string? version = typeof(TelemetrySetup).Assembly.GetName().Version?.ToString();
        host.AddConfiguration(environment);
        host.ConfigureServices(services =>
        {
            var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(settings.ServiceName, serviceVersion: version));
            if (settings.Metrics is not null || prometheus) telemetry.WithMetrics(metrics => Metrics(metrics, settings, prometheus));
            if (settings.Traces is not null) telemetry.WithTracing(tracing => Tracing(tracing, settings));
        });
        if (prometheus)
        {
            // Prometheus scrapes without the cluster token; the endpoint binds where the
            // operator put it (loopback unless told otherwise) and tells only metrics.
            host.MapEndpoints(app => app.MapPrometheusScrapingEndpoint(ScrapePath).AllowAnonymous());
        }

        return settings;
    }

    /// <summary>The process environment as the dictionary <see cref="AddTo"/> takes.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value;
        }

        return variables;
    }

    private static void Metrics(MeterProviderBuilder metrics, OtlpSettings settings, bool prometheus)
    {
        metrics.AddMeter(TelemetryNames.Source).AddView(SeriesLimit).AddAspNetCoreInstrumentation();
        if (prometheus) metrics.AddPrometheusExporter();
        if (settings.Metrics is { } otlp)
        {
            metrics.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = otlp.Endpoint;
                exporter.Protocol = otlp.Protocol;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.MetricExportInterval.TotalMilliseconds;
            });
        }
    }

    private static void Tracing(TracerProviderBuilder tracing, OtlpSettings settings)
    {
        var otlp = settings.Traces!;
        tracing.AddSource(TelemetryNames.Source)
            .AddAspNetCoreInstrumentation()
            .AddGrpcClientInstrumentation()
            .AddOtlpExporter(exporter =>
            {
                exporter.Endpoint = otlp.Endpoint;
                exporter.Protocol = otlp.Protocol;
            });
    }

    private static MetricStreamConfiguration? SeriesLimit(System.Diagnostics.Metrics.Instrument instrument) => instrument.Name switch
    {
        TelemetryNames.HyperparameterValue => new MetricStreamConfiguration { CardinalityLimit = HyperparameterSeriesLimit },
        TelemetryNames.TrainLoss or TelemetryNames.ValidationLoss or TelemetryNames.ValidationAccuracy
            or TelemetryNames.Step or TelemetryNames.Throughput
            => new MetricStreamConfiguration { CardinalityLimit = MemberSeriesLimit },
        _ => null,
    };
}
