using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HyperSwarm.Coordinator.Dashboard;
using HyperSwarm.Coordinator.Tests.Node;
using HyperSwarm.Protocol.Hosting;

namespace HyperSwarm.Coordinator.Tests.Dashboard;

public sealed class DashboardServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string TokenValue = "dashboard-test-token-0123456789";

    private static DashboardMember Member(long step, double loss) => new("m00", "self-tuning", "local", step, loss, 0.9, 0.75, 1200, null,
        new Dictionary<string, double> { ["dropout.input"] = 0.05 });

    private static SingleRunDashboardSource Source() => new("r1", new DashboardWorker("local", "up", null, ["cpu"], 1, null));

    [Fact]
    public async Task The_event_stream_sends_an_event_as_soon_as_the_coordinators_feed_publishes_it()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(2));
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Run = "run-test" });
        server.Attach(new PopulationDashboardSource(harness.Node));
        await using var stream = await EventStreamReader.OpenAsync(server.Address);
        var first = await stream.WaitForAsync("snapshot", _ => true, Patience);

        await harness.WorkerAsync("w1", capacity: 2);
        var started = await stream.WaitForAsync("event", d => d.Contains("\"kind\":\"member_started\"", StringComparison.Ordinal), Patience);
        var running = await stream.WaitForAsync("members", d => d.Contains("\"state\":\"running\"", StringComparison.Ordinal), Patience);

        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        using (var snapshot = JsonDocument.Parse(first))
        {
            Assert.Equal("population", snapshot.RootElement.GetProperty("kind").GetString());
            Assert.Equal(["m00", "m01"], snapshot.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
            Assert.All(snapshot.RootElement.GetProperty("members").EnumerateArray(), m => Assert.Equal("pending", m.GetProperty("state").GetString()));
        }
        using var e = JsonDocument.Parse(started);
        Assert.Equal("w1", e.RootElement.GetProperty("worker").GetString());
        Assert.True(e.RootElement.GetProperty("sequence").GetInt64() > 0);
        using var members = JsonDocument.Parse(running);
        Assert.Contains(members.RootElement.GetProperty("workers").EnumerateArray(), w => w.GetProperty("id").GetString() == "w1" && w.GetProperty("members").GetInt32() > 0);
    }

    [Fact]
    public async Task The_event_stream_relays_a_training_runs_notices_and_its_new_steps()
    {
        var source = Source();
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Kind = DashboardSnapshot.TrainKind, SampleInterval = TimeSpan.FromMilliseconds(50) });
        server.Attach(source);
        await using var stream = await EventStreamReader.OpenAsync(server.Address);
        await stream.WaitForAsync("snapshot", _ => true, Patience);

        source.Update(Member(40, 0.5));
        var members = await stream.WaitForAsync("members", d => d.Contains("\"step\":40", StringComparison.Ordinal), Patience);
        source.Notice("validation", "accuracy 75.00 %");
        var notice = await stream.WaitForAsync("event", _ => true, Patience);

        Assert.Contains("\"status\":\"running\"", members, StringComparison.Ordinal);
        using var e = JsonDocument.Parse(notice);
        Assert.Equal(("validation", "accuracy 75.00 %", "m00"), (e.RootElement.GetProperty("kind").GetString(), e.RootElement.GetProperty("reason").GetString(), e.RootElement.GetProperty("member").GetString()));
    }

    [Fact]
    public async Task The_snapshot_has_members_workers_lineage_curves_and_events()
    {
        var source = Source();
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Kind = DashboardSnapshot.TrainKind, SampleInterval = TimeSpan.FromMilliseconds(50) });
        using var client = new HttpClient();
        var before = JsonDocument.Parse(await client.GetStringAsync(new Uri(server.Address, "api/snapshot")));
        server.Attach(source);
        await using var stream = await EventStreamReader.OpenAsync(server.Address);
        source.Update(Member(10, 1.5));
        await stream.WaitForAsync("members", d => d.Contains("\"step\":10", StringComparison.Ordinal), Patience);
        source.Update(Member(20, 1.0));
        await stream.WaitForAsync("members", d => d.Contains("\"step\":20", StringComparison.Ordinal), Patience);
        source.Notice("notice", "new best model");
        await stream.WaitForAsync("event", _ => true, Patience);

        using var response = await client.GetAsync(new Uri(server.Address, "api/snapshot"));
        using var snapshot = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = snapshot.RootElement;

        Assert.Equal("starting", before.RootElement.GetProperty("status").GetString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["kind", "run", "status", "sequence", "members", "workers", "lineage", "history", "events"], root.EnumerateObject().Select(p => p.Name));
        var member = root.GetProperty("members")[0];
        Assert.Equal(["id", "state", "worker", "step", "train_loss", "validation_loss", "validation_accuracy", "images_per_second", "parent", "hyperparameters"], member.EnumerateObject().Select(p => p.Name));
        Assert.Equal((20L, 1.0, 0.05), (member.GetProperty("step").GetInt64(), member.GetProperty("train_loss").GetDouble(), member.GetProperty("hyperparameters").GetProperty("dropout.input").GetDouble()));
        Assert.Equal(JsonValueKind.Null, member.GetProperty("parent").ValueKind);
        var worker = root.GetProperty("workers")[0];
        Assert.Equal(["id", "state", "address", "devices", "members", "last_report"], worker.EnumerateObject().Select(p => p.Name));
        Assert.Equal([10L, 20L], root.GetProperty("history").GetProperty("m00").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal("new best model", root.GetProperty("events")[0].GetProperty("reason").GetString());
        Assert.Equal(0, root.GetProperty("lineage").GetArrayLength());
    }

    [Fact]
    public async Task The_page_is_self_contained_and_forbids_other_origins()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions());
        using var client = new HttpClient();

        using var response = await client.GetAsync(server.Address);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("connect-src 'self'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains("new EventSource(\"api/events\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_loopback_a_request_without_the_cluster_token_gets_401_and_with_it_200()
    {
        // Every interface is off loopback; the test reaches it through 127.0.0.1.
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Endpoint = new IPEndPoint(IPAddress.Any, 0), Token = new ClusterToken(TokenValue) });
        using var client = new HttpClient();
        var page = new Uri($"http://127.0.0.1:{server.Address.Port}/");

        async Task<HttpStatusCode> Get(string path, string? bearer = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(page, path));
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Get(""));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("api/snapshot"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("api/events"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("api/snapshot", bearer: "wrong-token-0123456789"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("api/snapshot?token=wrong-token-0123456789"));
        Assert.Equal(HttpStatusCode.OK, await Get("", bearer: TokenValue));
        Assert.Equal(HttpStatusCode.OK, await Get("api/snapshot", bearer: TokenValue));
        Assert.Equal(HttpStatusCode.OK, await Get($"api/snapshot?token={TokenValue}"));
        Assert.Equal(HttpStatusCode.OK, await Get($"api/events?token={TokenValue}"));
    }

    [Fact]
    public async Task On_loopback_the_dashboard_is_open_and_off_loopback_it_refuses_to_start_without_a_token()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Token = new ClusterToken(TokenValue) });
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(server.Address, "api/snapshot"));
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(new DashboardOptions { Endpoint = new IPEndPoint(IPAddress.Any, 0) }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("needs the cluster token", refused.Message, StringComparison.Ordinal);
    }
}
