using System.Globalization;
using OpenTelemetry.Exporter;

namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>
/// What the standard OpenTelemetry environment variables ask for, resolved the way the OTLP
/// exporter specification says. A signal is exported only when an endpoint for it is set.
/// </summary>
/// <param name="ServiceName"><c>OTEL_SERVICE_NAME</c>, or the caller's default.</param>
/// <param name="Metrics">Metrics export, or null when no endpoint applies to metrics.</param>
/// <param name="Traces">Trace export, or null when no endpoint applies to traces.</param>
/// <param name="MetricExportInterval"><c>OTEL_METRIC_EXPORT_INTERVAL</c> (milliseconds), 60 s by default.</param>
public sealed record OtlpSettings(string ServiceName, OtlpSignalExport? Metrics, OtlpSignalExport? Traces, TimeSpan MetricExportInterval)
{
    /// <summary>Base endpoint for every signal.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    /// <summary>Metrics endpoint, used as given (no path appended).</summary>
    public const string MetricsEndpointVariable = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    /// <summary>Traces endpoint, used as given (no path appended).</summary>
    public const string TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    /// <summary><c>grpc</c> or <c>http/protobuf</c>, for every signal.</summary>
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    /// <summary>Protocol for metrics only.</summary>
    public const string MetricsProtocolVariable = "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL";
    /// <summary>Protocol for traces only.</summary>
    public const string TracesProtocolVariable = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
    /// <summary>The <c>service.name</c> resource attribute.</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    /// <summary>Milliseconds between metric exports.</summary>
    public const string MetricExportIntervalVariable = "OTEL_METRIC_EXPORT_INTERVAL";

    /// <summary>True when at least one signal is exported.</summary>
    public bool ExportsAnything => Metrics is not null || Traces is not null;

    /// <summary>
    /// Resolves the settings from <paramref name="environment"/> (pass the process environment,
    /// or a dictionary in tests). Empty values count as unset, as the specification says.
    /// </summary>
    /// <exception cref="TelemetryConfigurationException">A variable holds a value that cannot be used.</exception>
    public static OtlpSettings FromEnvironment(IReadOnlyDictionary<string, string?> environment, string defaultServiceName)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrEmpty(defaultServiceName);
        string? baseEndpoint = Get(environment, EndpointVariable);
        return new OtlpSettings(
            Get(environment, ServiceNameVariable) ?? defaultServiceName,
            Signal(environment, baseEndpoint, MetricsEndpointVariable, MetricsProtocolVariable, "v1/metrics"),
            Signal(environment, baseEndpoint, TracesEndpointVariable, TracesProtocolVariable, "v1/traces"),
            Interval(environment));
    }

    private static OtlpSignalExport? Signal(
        IReadOnlyDictionary<string, string?> environment, string? baseEndpoint, string endpointVariable, string protocolVariable, string signalPath)
    {
        string protocolVariableUsed = Get(environment, protocolVariable) is null ? ProtocolVariable : protocolVariable;
        OtlpExportProtocol protocol = Protocol(protocolVariableUsed, Get(environment, protocolVariableUsed));
        if (Get(environment, endpointVariable) is { } signalEndpoint)
        {
            return new OtlpSignalExport(Url(endpointVariable, signalEndpoint), protocol);
        }

        if (baseEndpoint is null)
        {
            return null;
        }

        Uri root = Url(EndpointVariable, baseEndpoint);
        // Spec: over HTTP the base URL gets v1/<signal> appended to its path; gRPC uses it as is.
        return protocol == OtlpExportProtocol.HttpProtobuf
            ? new OtlpSignalExport(new Uri(WithTrailingSlash(root), signalPath), protocol)
            : new OtlpSignalExport(root, protocol);
    }

    private static OtlpExportProtocol Protocol(string variable, string? value) => value switch
    {
        // The .NET exporter's default, kept so the same variables mean the same in every .NET service.
        null or "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => throw new TelemetryConfigurationException(
            $"{variable} is '{value}', but only 'grpc' and 'http/protobuf' are supported."),
    };

    private static Uri Url(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new TelemetryConfigurationException($"{variable} is '{value}', which is not an absolute http or https URL.");

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri;

    private static TimeSpan Interval(IReadOnlyDictionary<string, string?> environment)
    {
        string? text = Get(environment, MetricExportIntervalVariable);
        if (text is null)
        {
            return TimeSpan.FromSeconds(60);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : throw new TelemetryConfigurationException(
                $"{MetricExportIntervalVariable} is '{text}', but it must be a positive number of milliseconds.");
    }

    private static string? Get(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
