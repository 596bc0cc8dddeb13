using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HyperSwarm.Protocol.Tests.Hosting;

/// <summary>What <see cref="GrpcHost"/> itself promises: where it binds, its second HTTP/1.1 listener, its lifecycle.</summary>
public sealed class GrpcHostTests
{
    [Fact]
    public async Task It_listens_on_loopback_with_an_ephemeral_port_by_default()
    {
        await using var h = await GrpcHarness.StartAsync();

        Assert.Equal(("http", "127.0.0.1"), (h.Address.Scheme, h.Address.Host));
        Assert.NotEqual(0, h.Address.Port);
        Assert.Null(h.Host.HttpAddress);
    }

    [Fact]
    public async Task Its_grpc_listener_speaks_http2_only()
    {
        // h2c has no upgrade in Kestrel: an HTTP/1.1 request on the gRPC port is refused by
        // Kestrel itself, and no handler runs.
        await using var h = await GrpcHarness.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(h.Address, "/hyperswarm.testing.v1.TestService/UnaryCall"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(RawGrpc.Frame([])),
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTTP/2 only endpoint", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, h.Service.Calls);
    }

    [Fact]
    public async Task An_http_endpoint_gets_its_own_http1_listener_and_address()
    {
        await using var host = new GrpcHost(new GrpcHostOptions { HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0) })
            .MapEndpoints(app => app.MapGet("/metrics", () => "hyperswarm_up 1"));
        await host.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.HttpAddress!, "/metrics"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(("http", "127.0.0.1"), (host.HttpAddress!.Scheme, host.HttpAddress.Host));
        Assert.NotEqual(host.Address.Port, host.HttpAddress.Port);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("hyperswarm_up 1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_port_that_is_taken_fails_the_start_with_an_io_exception()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var host = new GrpcHost(new GrpcHostOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, port) });

        await Assert.ThrowsAnyAsync<IOException>(() => host.StartAsync());
    }

    [Fact]
    public async Task Services_and_endpoints_cannot_be_added_once_started()
    {
        await using var h = await GrpcHarness.StartAsync();

        Assert.Throws<InvalidOperationException>(() => h.Host.AddService(new TestServiceImpl()));
        Assert.Throws<InvalidOperationException>(() => h.Host.ConfigureServices(_ => { }));
        Assert.Throws<InvalidOperationException>(() => h.Host.MapEndpoints(_ => { }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Host.StartAsync());
    }

    [Fact]
    public async Task Configured_services_reach_the_host_container()
    {
        var marker = new Marker();
        var service = new TestServiceImpl();
        await using var host = new GrpcHost(new GrpcHostOptions()).AddService(service).ConfigureServices(s => s.AddSingleton(marker));

        Assert.Null(host.Services);
        await host.StartAsync();

        Assert.Same(marker, host.Services!.GetRequiredService<Marker>());
        Assert.Same(service, host.Services!.GetRequiredService<TestServiceImpl>());
    }

    [Fact]
    public async Task Stopping_fires_on_stop_and_stop_is_idempotent()
    {
        await using var h = await GrpcHarness.StartAsync();
        var fired = new TaskCompletionSource();
        using var registration = h.Host.Stopping.Register(fired.SetResult);

        Assert.False(h.Host.Stopping.IsCancellationRequested);
        await h.Host.StopAsync();
        await h.Host.StopAsync();

        Assert.True(fired.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_stopped_host_refuses_new_calls_with_a_transport_status()
    {
        await using var h = await GrpcHarness.StartAsync();
        int callsBefore = h.Service.Calls;

        await h.Host.StopAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => h.Client.UnaryCallAsync(new SimpleRequest()).ResponseAsync);

        // Usually UNAVAILABLE (connection refused). When the call races the closing of the
        // pooled connection, Grpc.Net.Client reports the broken HTTP/2 stream as INTERNAL.
        Assert.True(error.StatusCode is StatusCode.Unavailable or StatusCode.Internal, error.Status.ToString());
        Assert.Equal(callsBefore, h.Service.Calls);
    }

    [Fact]
    public async Task The_default_receive_limit_is_four_mebibytes()
    {
        await using var h = await GrpcHarness.StartAsync();
        int limit = GrpcHostOptions.DefaultMaxReceiveMessageSize;

        // The payload's field header adds a few bytes: limit - 16 fits, limit + 1 does not.
        var fits = await h.Client.UnaryCallAsync(new SimpleRequest { Payload = Google.Protobuf.ByteString.CopyFrom(new byte[limit - 16]), ResponseSize = 1 });
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            h.Client.UnaryCallAsync(new SimpleRequest { Payload = Google.Protobuf.ByteString.CopyFrom(new byte[limit + 1]) }).ResponseAsync);

        Assert.Equal(4 * 1024 * 1024, limit);
        Assert.Equal(1, fits.Payload.Length);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task The_default_stream_limit_lets_two_hundred_calls_share_one_connection()
    {
        // GrpcHost raises Kestrel's 100 streams per connection to 1000 (GRPC.md §1.7 step 10):
        // 200 calls held in flight together fit on the connection the warm-up call opened.
        await using var h = await GrpcHarness.StartAsync();
        h.Service.Connections.Clear();
        h.Service.HoldUnaryCallsUntil(200);

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 1 }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync));

        Assert.All(responses, r => Assert.Equal(1, r.Payload.Length));
        Assert.Single(h.Service.Connections);
    }

    [Fact]
    public async Task Non_post_requests_on_a_method_path_are_refused()
    {
        await using var h = await GrpcHarness.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(h.Address, "/hyperswarm.testing.v1.TestService/UnaryCall"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request);

        // The old runtime answered 405; Grpc.AspNetCore's method endpoints only match POST, so
        // ASP.NET Core routing finds nothing and answers 404. Either way no handler runs.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, h.Service.Calls);
    }

    private sealed class Marker;
}
