using HyperSwarm.Coordinator.Telemetry;
using OpenTelemetry.Exporter;

namespace HyperSwarm.Coordinator.Tests.Telemetry;

public sealed class OtlpSettingsTests
{
    [Fact]
    public void Nothing_is_exported_without_an_endpoint()
    {
        OtlpSettings settings = Resolve(("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), ("OTEL_SERVICE_NAME", "coord"));

        Assert.False(settings.ExportsAnything);
        Assert.Equal("coord", settings.ServiceName);
    }

    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/metrics", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/metrics", "http://collector:4318/v1/traces")]
    [InlineData("https://gw.example:443/otel", "https://gw.example/otel/v1/metrics", "https://gw.example/otel/v1/traces")]
    public void Over_http_the_base_endpoint_gets_the_signal_path(string baseUrl, string metrics, string traces)
    {
        OtlpSettings settings = Resolve(("OTEL_EXPORTER_OTLP_ENDPOINT", baseUrl), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));

        Assert.Equal(new OtlpSignalExport(new Uri(metrics), OtlpExportProtocol.HttpProtobuf), settings.Metrics);
        Assert.Equal(new OtlpSignalExport(new Uri(traces), OtlpExportProtocol.HttpProtobuf), settings.Traces);
    }

    [Fact]
    public void Over_grpc_the_base_endpoint_is_used_as_is_and_grpc_is_the_default()
    {
        OtlpSettings settings = Resolve(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"));

        Assert.Equal(new OtlpSignalExport(new Uri("http://collector:4317"), OtlpExportProtocol.Grpc), settings.Metrics);
        Assert.Equal(settings.Metrics, settings.Traces);
    }

    [Fact]
    public void A_signal_endpoint_is_used_as_is_and_enables_only_its_signal()
    {
        OtlpSettings settings = Resolve(
            ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics:9000/ingest"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));

        Assert.Equal(new OtlpSignalExport(new Uri("http://metrics:9000/ingest"), OtlpExportProtocol.HttpProtobuf), settings.Metrics);
        Assert.Null(settings.Traces);
    }

    [Fact]
    public void A_signal_endpoint_overrides_the_base_for_that_signal_only()
    {
        OtlpSettings settings = Resolve(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://tempo:4318/v1/traces"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));

        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), settings.Metrics!.Endpoint);
        Assert.Equal(new Uri("http://tempo:4318/v1/traces"), settings.Traces!.Endpoint);
    }

    [Fact]
    public void A_signal_protocol_overrides_the_general_one()
    {
        OtlpSettings settings = Resolve(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"));

        Assert.Equal(OtlpExportProtocol.HttpProtobuf, settings.Metrics!.Protocol);
        Assert.Equal(new OtlpSignalExport(new Uri("http://collector:4318"), OtlpExportProtocol.Grpc), settings.Traces);
    }

    [Fact]
    public void Service_name_and_export_interval_come_from_the_environment_or_defaults()
    {
        Assert.Equal(("hyperswarm", TimeSpan.FromSeconds(60)), (Resolve().ServiceName, Resolve().MetricExportInterval));

        OtlpSettings settings = Resolve(("OTEL_SERVICE_NAME", "hs-coordinator"), ("OTEL_METRIC_EXPORT_INTERVAL", "5000"));

        Assert.Equal(("hs-coordinator", TimeSpan.FromSeconds(5)), (settings.ServiceName, settings.MetricExportInterval));
    }

    [Fact]
    public void Empty_values_count_as_unset()
    {
        OtlpSettings settings = Resolve(("OTEL_EXPORTER_OTLP_ENDPOINT", " "), ("OTEL_SERVICE_NAME", ""), ("OTEL_EXPORTER_OTLP_PROTOCOL", ""));

        Assert.False(settings.ExportsAnything);
        Assert.Equal("hyperswarm", settings.ServiceName);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "thrift")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "not a url")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "0")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "5s")]
    public void A_bad_value_is_reported_with_its_variable(string variable, string value)
    {
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4317",
            [variable] = value,
        };

        var error = Assert.Throws<TelemetryConfigurationException>(() => OtlpSettings.FromEnvironment(environment, "hyperswarm"));

        Assert.StartsWith($"{variable} is '{value}'", error.Message, StringComparison.Ordinal);
    }

    private static OtlpSettings Resolve(params (string Name, string Value)[] variables) =>
        OtlpSettings.FromEnvironment(variables.ToDictionary(v => v.Name, v => (string?)v.Value), "hyperswarm");
}
