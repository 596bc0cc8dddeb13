using System.Diagnostics;
using HyperSwarm.Protocol.Hosting;

namespace HyperSwarm.Coordinator.Tests.Node;

/// <summary>
/// The coordinator's real services seen through Debian's python3-grpcio (installed by
/// <c>scripts/setup.sh --tests</c>; run with /usr/bin/python3, which sees it): the health
/// service without a token, GetPopulation refused without the cluster token and answered with it.
/// The Python side speaks raw bytes; the population it gets back is parsed here.
/// </summary>
public sealed class PythonClientTests
{
    private const string Token = "python-interop-token-0123456789";

    private const string Client = """
        import grpc, sys
        channel = grpc.insecure_channel("127.0.0.1:" + sys.argv[1])
        raw = lambda b: b
        health = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=raw, response_deserializer=raw)
        print("health", health(b"", timeout=10).hex())
        population = channel.unary_unary("/hyperswarm.v1.Coordinator/GetPopulation", request_serializer=raw, response_deserializer=raw)
        for name, metadata in (("none", None), ("wrong", [("authorization", "Bearer not-the-token-at-all")])):
            try:
                population(b"", timeout=10, metadata=metadata)
                print(name, "OK")
            except grpc.RpcError as e:
                print(name, e.code().name)
        print("population", population(b"", timeout=10, metadata=[("authorization", "Bearer " + sys.argv[2])]).hex())
        """;

    [Fact]
    public async Task Grpcio_checks_health_without_the_token_and_reads_the_population_only_with_it()
    {
        await using var harness = await NodeHarness.StartAsync(NodeHarness.Population(3),
            o => o with { Server = o.Server with { Token = new ClusterToken(Token) } });

        var lines = await RunAsync(Client, harness.Node.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Token);
        var population = Protocol.V1.Population.Parser.ParseFrom(Convert.FromHexString(lines["population"]));

        Assert.Equal("0801", lines["health"]); // HealthCheckResponse { status: SERVING }
        Assert.Equal("UNAUTHENTICATED", lines["none"]);
        Assert.Equal("UNAUTHENTICATED", lines["wrong"]);
        Assert.Equal("run-test", population.RunId);
        Assert.Equal(["m00", "m01", "m02"], population.Members.Select(m => m.MemberId).Order(StringComparer.Ordinal));
    }

    private static async Task<Dictionary<string, string>> RunAsync(string script, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"python3 exited {process.ExitCode}: {await stderr}");
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
    }
}
