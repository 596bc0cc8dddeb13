using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Telemetry;
using HyperSwarm.Protocol.Hosting;

namespace HyperSwarm.Coordinator.Tests.Telemetry;

/// <summary>
/// config/grafana/hyperswarm-dashboard.json against what the coordinator's scrape endpoint
/// really serves: a renamed instrument or a wrong Prometheus suffix shows up here, not as an
/// empty panel in someone's Grafana.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed partial class GrafanaDashboardTests
{
    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_one_the_scrape_endpoint_serves()
    {
        var expressions = DashboardExpressions();
        var queried = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
        var served = await ScrapedNamesAsync();

        Assert.True(expressions.Count >= 15, $"only {expressions.Count} queries found");
        Assert.Contains("hyperswarm_member_validation_accuracy", queried);
        Assert.Empty(queried.Where(name => !served.Contains(name)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_dashboard_is_importable_json_with_a_prometheus_datasource_input()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(DashboardPath()));
        var root = json.RootElement;

        Assert.Equal("hyperswarm-population", root.GetProperty("uid").GetString());
        Assert.Contains(root.GetProperty("__inputs").EnumerateArray(), i => i.GetProperty("pluginId").GetString() == "prometheus");
        var ids = root.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    // Every instrument recorded once, through the same host setup as the coordinator's, then one scrape.
    private static async Task<HashSet<string>> ScrapedNamesAsync()
    {
        using var telemetry = new HyperSwarmTelemetry();
        await using var host = new GrpcHost(new GrpcHostOptions { HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0) });
        TelemetrySetup.AddTo(host, new Dictionary<string, string?>(), prometheus: true);
        await host.StartAsync();
        telemetry.RecordReport("m1", 10, 1.5, 1.25, 0.5, new Dictionary<string, double> { ["dropout"] = 0.1 }, 100);
        telemetry.RecordExchange(ExchangeKind.Exploit, "m1", "m2");
        telemetry.RecordWorkerHealth([new WorkerHealth("w1", 1, WorkerState.Up)]);
        telemetry.RecordWorkerDown(new WorkerDown("w1", 1, DownReason.Unreachable));
        telemetry.RecordAdmission(new Admission(AdmissionVerdict.StaleEpoch, "w1", 1, 2));

        // One gRPC call, for the ASP.NET Core instrumentation's request metrics.
        using (var channel = ClusterChannel.Open(host.Address))
        {
            await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        }

        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri(host.HttpAddress!, TelemetrySetup.ScrapePath));
        return text.Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);
    }

    private static List<string> DashboardExpressions()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(DashboardPath()));
        var expressions = new List<string>();
        Collect(json.RootElement, expressions);
        return expressions;
    }

    private static void Collect(JsonElement element, List<string> expressions)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "expr" or "query" && property.Value.ValueKind == JsonValueKind.String) expressions.Add(property.Value.GetString()!);
                    else Collect(property.Value, expressions);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, expressions);
                break;
        }
    }

    private static string DashboardPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config", "grafana", "hyperswarm-dashboard.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("config/grafana/hyperswarm-dashboard.json was not found above the test's folder.");
    }

    [GeneratedRegex(@"\b(hyperswarm_[a-z_]+|http_server_request_duration_seconds_(?:count|bucket))\b")]
    private static partial Regex MetricName();
}
