using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Protocol.Tests.Hosting;

/// <summary>
/// The cluster token: its value rules, and <see cref="ClusterTokenAuthentication"/> on a
/// <see cref="GrpcHost"/> — refused calls never reach a handler, health stays open to probes,
/// reflection does not.
/// </summary>
public sealed class ClusterTokenTests
{
    private const string Secret = "0123456789abcdef-secret";
    private static readonly ClusterToken Token = new(Secret);

    [Fact]
    public void Short_or_spaced_tokens_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ClusterToken("short"));
        Assert.Throws<ArgumentException>(() => new ClusterToken("has a space in it, long enough"));
        Assert.Throws<ArgumentException>(() => new ClusterToken("0123456789abcdé-not-ascii"));
        Assert.Throws<ArgumentException>(() => new ClusterToken("fifteen-chars-1"));
        Assert.True(new ClusterToken("sixteen-chars-12").Matches("Bearer sixteen-chars-12"));
    }

    [Fact]
    public void Configured_token_wins_over_the_environment()
    {
        Environment.SetEnvironmentVariable(ClusterToken.EnvironmentVariable, "from-environment-0123456789");
        try
        {
            Assert.True(ClusterToken.Resolve(Secret)!.Matches("Bearer " + Secret));
            Assert.True(ClusterToken.Resolve(null)!.Matches("Bearer from-environment-0123456789"));
            Assert.True(ClusterToken.Resolve("")!.Matches("Bearer from-environment-0123456789"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ClusterToken.EnvironmentVariable, null);
        }

        Assert.Null(ClusterToken.Resolve(null));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_token_file_readable_by_others_is_used_with_a_warning()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Secret + "\n");
            var log = new CapturingLogger();

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var open = ClusterToken.FromFile(path, log);
            int warningsWhenOpen = log.Entries.Count(e => e.Level == LogLevel.Warning);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            ClusterToken.FromFile(path, log);

            Assert.True(open.Matches("Bearer " + Secret));
            Assert.Equal(1, warningsWhenOpen);
            Assert.Equal(1, log.Entries.Count(e => e.Level == LogLevel.Warning));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Only_the_exact_bearer_value_matches()
    {
        Assert.True(Token.Matches("Bearer " + Secret));
        Assert.False(Token.Matches(Secret));
        Assert.False(Token.Matches("bearer " + Secret));
        Assert.False(Token.Matches("Bearer " + Secret + "x"));
        Assert.False(Token.Matches("Bearer " + Secret[..^1]));
        Assert.False(Token.Matches(null));
    }

    [Fact]
    public async Task A_call_without_the_token_is_unauthenticated_before_any_handler_runs()
    {
        await using var h = await StartAsync();
        int callsBefore = h.Service.Calls;
        using var anonymous = ClusterChannel.Open(h.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new TestService.TestServiceClient(anonymous).UnaryCallAsync(new SimpleRequest()).ResponseAsync);
        var raw = await RawGrpc.PostAsync(h.Address, "/hyperswarm.testing.v1.TestService/UnaryCall", RawGrpc.Frame([]));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("cluster's token", error.Status.Detail, StringComparison.Ordinal);
        // Trailers-only, HTTP 200: a gRPC client reads a status, not an HTTP 401.
        Assert.Equal((200, "16", null), (raw.HttpStatus, raw.HeaderStatus, raw.TrailerStatus));
        Assert.Equal(callsBefore, h.Service.Calls);
    }

    [Fact]
    public async Task A_call_with_a_wrong_token_is_unauthenticated_and_the_right_one_passes()
    {
        await using var h = await StartAsync();
        int callsBefore = h.Service.Calls;
        using var wrong = ClusterChannel.Open(h.Address, new ClusterChannelOptions { Token = new ClusterToken("wrong-token-0123456789") });

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new TestService.TestServiceClient(wrong).UnaryCallAsync(new SimpleRequest()).ResponseAsync);
        int callsAfterRefusal = h.Service.Calls;
        var ok = await h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 1 });

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(callsBefore, callsAfterRefusal);
        Assert.Equal(1, ok.Payload.Length);
        Assert.Equal(callsBefore + 1, h.Service.Calls);
    }

    [Fact]
    public async Task Two_authorization_headers_are_refused_even_if_one_is_right()
    {
        await using var h = await StartAsync();
        int callsBefore = h.Service.Calls;

        var raw = await RawGrpc.PostAsync(
            h.Address, "/hyperswarm.testing.v1.TestService/UnaryCall", RawGrpc.Frame([]),
            headers: [("authorization", "Bearer " + Secret), ("authorization", "Bearer wrong-token-0123456789")]);

        Assert.Equal("16", raw.Status);
        Assert.Equal(callsBefore, h.Service.Calls);
    }

    [Fact]
    public async Task A_plain_http_request_without_the_token_gets_401()
    {
        await using var h = await StartAsync();

        var raw = await RawGrpc.PostAsync(h.Address, "/hyperswarm.testing.v1.TestService/UnaryCall", [], contentType: "application/json");

        Assert.Equal(401, raw.HttpStatus);
        Assert.Equal("Bearer", raw.Headers["www-authenticate"]);
    }

    [Fact]
    public async Task Health_answers_serving_without_the_token()
    {
        // Grpc.AspNetCore.HealthChecks reports UNKNOWN for "" while no ASP.NET Core health check
        // is registered, and a Kubernetes gRPC probe only passes on SERVING: GrpcHost registers one.
        await using var h = await StartAsync();
        using var anonymous = ClusterChannel.Open(h.Address);

        var health = await new Health.HealthClient(anonymous).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task An_owners_failing_health_check_turns_the_host_not_serving_and_opens_nothing_else()
    {
        await using var h = await GrpcHarness.StartAsync(
            new GrpcHostOptions { Token = Token },
            _ => new ClusterChannelOptions { Token = Token },
            configure: host => host.ConfigureServices(s => s.AddHealthChecks().AddCheck("store", () => HealthCheckResult.Unhealthy("store down"))));
        int callsBefore = h.Service.Calls;
        using var anonymous = ClusterChannel.Open(h.Address);

        var health = await new Health.HealthClient(anonymous).CheckAsync(new HealthCheckRequest());
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            new TestService.TestServiceClient(anonymous).UnaryCallAsync(new SimpleRequest()).ResponseAsync);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        // Health being open opens nothing else.
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal(callsBefore, h.Service.Calls);
    }

    [Fact]
    public async Task Reflection_lists_the_test_service_with_the_token_and_refuses_without()
    {
        await using var h = await StartAsync();
        using var anonymous = ClusterChannel.Open(h.Address);

        IReadOnlyList<string> services = await ListServicesAsync(new ServerReflection.ServerReflectionClient(h.Channel));
        var refused = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(new ServerReflection.ServerReflectionClient(anonymous)));

        Assert.Contains("hyperswarm.testing.v1.TestService", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task The_v1alpha_reflection_service_lists_the_test_service_too()
    {
        // grpcurl and older tools still speak v1alpha.
        await using var h = await StartAsync();

        using var call = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(h.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());

        Assert.Contains("hyperswarm.testing.v1.TestService", call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }

    private static Task<GrpcHarness> StartAsync() =>
        GrpcHarness.StartAsync(new GrpcHostOptions { Token = Token }, _ => new ClusterChannelOptions { Token = Token });

    private static async Task<IReadOnlyList<string>> ListServicesAsync(ServerReflection.ServerReflectionClient client)
    {
        using var call = client.ServerReflectionInfo();
        try
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or IOException)
        {
            // A server that refuses the call answers at once and resets the stream, so the write
            // can lose the race; the call's status comes with the response, as a gRPC client reads it.
        }

        var names = new List<string>();
        await foreach (ServerReflectionResponse response in call.ResponseStream.ReadAllAsync())
        {
            names.AddRange(response.ListServicesResponse.Service.Select(s => s.Name));
        }

        return names;
    }
}
