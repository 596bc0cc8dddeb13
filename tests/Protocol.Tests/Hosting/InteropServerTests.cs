using System.Globalization;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.Tests.Support;

namespace HyperSwarm.Protocol.Tests.Hosting;

/// <summary>
/// Debian's python3-grpcio client (tests/interop/test_client.py) against <see cref="GrpcHost"/>
/// serving TestService: GRPC.md §1.10 rows 1–11 and 17–18. The client script asserts what it
/// sees; these tests add what only the server can see.
/// </summary>
public sealed class InteropServerTests
{
    [Fact]
    public async Task Debian_python3_has_grpcio()
    {
        // Not a skip condition: scripts/setup.sh installs python3-grpcio, so its absence is a failure.
        var (exitCode, output) = await PythonPeer.RunCodeAsync("import grpc; print('grpc', grpc.__version__)");

        Assert.True(exitCode == 0, $"{PythonPeer.Python} cannot import grpc (run scripts/setup.sh):\n{output}");
        Assert.StartsWith("grpc ", output, StringComparison.Ordinal);
    }

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
    public Task Row07_grpcio_client_deadline_cancels_our_handler() => PassesAsync("deadline", async service =>
    {
        await service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("UnaryCall", service.CancelledMethods);
    });

    [Fact]
    public Task Row08_grpcio_client_cancel_after_first_response_cancels_our_handler() => PassesAsync("cancel_after_first_response", async service =>
    {
        await service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("StreamingOutputCall", service.CancelledMethods);
    });

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

    /// <summary>
    /// Runs one client case; <paramref name="serverSide"/> then checks the host while it still
    /// runs (stopping it would cancel handlers and hide whether the client did).
    /// </summary>
    private static async Task PassesAsync(string testCase, Func<TestServiceImpl, Task>? serverSide = null)
    {
        // 1 MiB: the client's oversize case sends 2 MiB.
        await using var h = await GrpcHarness.StartAsync(new GrpcHostOptions { MaxReceiveMessageSize = 1024 * 1024 });

        var (exitCode, output) = await PythonPeer.RunAsync(
            "test_client.py", h.Address.Port.ToString(CultureInfo.InvariantCulture), testCase);

        Assert.True(exitCode == 0, output);
        Assert.Contains("PASS " + testCase, output, StringComparison.Ordinal);
        if (serverSide is not null)
        {
            await serverSide(h.Service);
        }
    }
}
