using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>
/// Turns on OTLP export of HyperSwarm's meter and activity source when, and only when, the
/// standard <c>OTEL_EXPORTER_OTLP_*ENDPOINT</c> variables ask for it.
/// </summary>
public static class TelemetrySetup
{
    // Per-member series: one per member, or one per member and hyperparameter. The SDK's
    // default of 2000 series per metric would silently drop members of a 1000-member
    // population with a dozen hyperparameters; its point arrays are preallocated, so the
    // limits stay as low as the largest population we target allows.
    private const int MemberSeriesLimit = 4_096;
    private const int HyperparameterSeriesLimit = 32_768;

    /// <summary>
    /// Builds the providers <paramref name="environment"/> asks for. The whole dictionary also
    /// becomes the SDK's configuration, so the exporter's other variables
    /// (<c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>_TIMEOUT</c>, <c>_COMPRESSION</c>) come from it and
    /// never from the process environment behind the caller's back.
    /// </summary>
    /// <exception cref="TelemetryConfigurationException">A variable holds a value that cannot be used.</exception>
    public static TelemetryExport Start(IReadOnlyDictionary<string, string?> environment, string defaultServiceName = "hyperswarm")
    {
        OtlpSettings settings = OtlpSettings.FromEnvironment(environment, defaultServiceName);
        if (!settings.ExportsAnything)
        {
            return new TelemetryExport(settings, null, null);
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(environment).Build();
        string? version = typeof(TelemetrySetup).Assembly.GetName().Version?.ToString();
        ResourceBuilder Resource() => ResourceBuilder.CreateDefault().AddService(settings.ServiceName, serviceVersion: version);

        MeterProvider? meters = settings.Metrics is { } metrics
            ? Sdk.CreateMeterProviderBuilder()
                .ConfigureServices(services => services.AddSingleton(configuration))
                .SetResourceBuilder(Resource())
                .AddMeter(TelemetryNames.Source)
                .AddView(SeriesLimit)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = metrics.Endpoint;
                    exporter.Protocol = metrics.Protocol;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds =
                        (int)settings.MetricExportInterval.TotalMilliseconds;
                })
                .Build()
            : null;

        TracerProvider? tracer = settings.Traces is { } traces
            ? Sdk.CreateTracerProviderBuilder()
                .ConfigureServices(services => services.AddSingleton(configuration))
                .SetResourceBuilder(Resource())
                .AddSource(TelemetryNames.Source)
                .AddOtlpExporter(exporter =>
                {
                    exporter.Endpoint = traces.Endpoint;
                    exporter.Protocol = traces.Protocol;
                })
                .Build()
            : null;

        return new TelemetryExport(settings, meters, tracer);
    }

    /// <summary>The process environment as the dictionary <see cref="Start"/> takes.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value;
        }

        return variables;
    }

    private static MetricStreamConfiguration? SeriesLimit(System.Diagnostics.Metrics.Instrument instrument) => instrument.Name switch
    {
        TelemetryNames.HyperparameterValue => new MetricStreamConfiguration { CardinalityLimit = HyperparameterSeriesLimit },
        TelemetryNames.TrainLoss or TelemetryNames.ValidationLoss or TelemetryNames.ValidationAccuracy
            or TelemetryNames.Step or TelemetryNames.Throughput or TelemetryNames.HeartbeatPhi
            => new MetricStreamConfiguration { CardinalityLimit = MemberSeriesLimit },
        _ => null,
    };
}
