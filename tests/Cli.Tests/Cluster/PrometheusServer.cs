using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// Debian's <c>prometheus</c> (installed by <c>scripts/setup.sh --tests</c>) scraping one target
/// every second, with its own storage in a temp folder and its web API on a free loopback port.
/// Disposing kills it.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private const string Executable = "/usr/bin/prometheus";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    private PrometheusServer(Process process, Uri api)
    {
        this.process = process;
        Api = api;
    }

    /// <summary>The HTTP API, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Api { get; }

    /// <summary>What it logged, for failure messages.</summary>
    public string Output => string.Join('\n', output);

    /// <summary>Starts it scraping <paramref name="target"/> (<c>host:port</c>, path <c>/metrics</c>) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string target, string folder, TimeSpan timeout)
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"{Executable} is missing: run scripts/setup.sh --tests.");
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 2s
              scrape_timeout: 2s
            scrape_configs:
              - job_name: hyperswarm-coordinator
                static_configs:
                  - targets: ['{target}']
            """);
        var port = FreePort();
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        var server = new PrometheusServer(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.PollAsync(async () => (await Http.GetAsync(new Uri(server.Api, "-/ready"))).IsSuccessStatusCode, timeout, "ready");
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>The samples of an instant <paramref name="query"/> once it has at least <paramref name="minimum"/>, as (labels, value).</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> WaitForSamplesAsync(string query, int minimum, TimeSpan timeout)
    {
        IReadOnlyList<(IReadOnlyDictionary<string, string>, double)> samples = [];
        await PollAsync(async () => (samples = await QueryAsync(query)).Count >= minimum, timeout, $"{minimum} samples of {query}");
        return samples;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    private async Task<IReadOnlyList<(IReadOnlyDictionary<string, string>, double)>> QueryAsync(string query)
    {
        using var response = await Http.GetAsync(new Uri(Api, "api/v1/query?query=" + Uri.EscapeDataString(query)));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data");
        return data.GetProperty("result").EnumerateArray().Select(r => (
            (IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    // Prometheus has no push notification for "ready" or "scraped": its API is asked, every
    // quarter second, until the answer comes or the limit passes.
    private async Task PollAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"prometheus exited ({process.ExitCode}) before {what}:\n{Output}");
            try
            {
                if (await done()) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"prometheus did not show {what} within {timeout}:\n{Output}");
            await Task.Delay(250);
        }
    }

    private void Log(string? line)
    {
        if (line is not null) output.Enqueue(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
