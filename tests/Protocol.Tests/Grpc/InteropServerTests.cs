using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;

namespace HyperSwarm.Protocol.Tests.Grpc;

/// <summary>
/// Debian's python3-grpcio client against our server: GRPC.md §1.10 rows 1–11 and 17–18.
/// The client script asserts what it sees; these tests add what only the server can see.
/// </summary>
public sealed class InteropServerTests
{
    [Fact]
    public Task Row01_grpcio_client_unary_echo() => PassesAsync("unary");

    [Fact]
    public Task Row02_grpcio_client_large_unary() => PassesAsync("large_unary");

    [Fact]
    public Task Row03_grpcio_client_server_streaming() => PassesAsync("server_streaming");

    [Fact]
    public Task Row04_grpcio_client_client_streaming() => PassesAsync("client_streaming");

    [Fact]
    public Task Row05_grpcio_client_ping_pong() => PassesAsync("ping_pong");

    [Fact]
    public Task Row06_grpcio_client_empty_stream() => PassesAsync("empty_stream");

    [Fact]
    public async Task Row07_grpcio_client_deadline_cancels_our_handler()
    {
        TestService service = await PassesAsync("deadline");

        await service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Row08_grpcio_client_cancel_after_first_response_cancels_our_handler()
    {
        TestService service = await PassesAsync("cancel_after_first_response");

        await service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public Task Row09_grpcio_client_cancel_after_begin() => PassesAsync("cancel_after_begin");

    [Fact]
    public Task Row10_grpcio_client_oversize_both_ways() => PassesAsync("oversize");

    [Fact]
    public Task Row11_grpcio_client_unimplemented() => PassesAsync("unimplemented");

    [Fact]
    public Task Row17_grpcio_client_status_message() => PassesAsync("status_message");

    [Fact]
    public Task Row18_grpcio_client_metadata() => PassesAsync("metadata");

    private static async Task<TestService> PassesAsync(string testCase)
    {
        await using var h = await GrpcHarness.StartAsync(new GrpcServerOptions { MaxReceiveMessageSize = 1024 * 1024 });

        var (exitCode, output) = await PythonPeer.RunAsync(
            "test_client.py", h.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), testCase);

        Assert.True(exitCode == 0, output);
        Assert.Contains("PASS " + testCase, output, StringComparison.Ordinal);
        return h.Service;
    }
}
