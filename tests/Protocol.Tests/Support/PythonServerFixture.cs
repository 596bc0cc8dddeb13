using HyperSwarm.Protocol.Grpc;

namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>One grpcio test server (receive limit 1 MiB) shared by a test class, and our channel to it.</summary>
public sealed class PythonServerFixture : IAsyncLifetime
{
    public PythonPeer Peer { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public Uri Address => new($"http://127.0.0.1:{Peer.Port}");

    public async Task InitializeAsync()
    {
        Peer = await PythonPeer.StartAsync("test_server.py", (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Channel = new GrpcChannel(new GrpcChannelOptions { Address = Address });

        // Open the connection now: a first call also pays for connecting and JIT, which
        // would eat a 50 ms deadline before the request ever reached the peer.
        await Channel.UnaryAsync(TestService.UnaryCall, new Testing.SimpleRequest());
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Peer.DisposeAsync();
    }
}
