using System.Globalization;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>
/// One grpcio test server (receive limit 1 MiB) shared by a test class, and a
/// <see cref="ClusterChannel"/> with a generated client to it. A missing python3-grpcio makes
/// the fixture, and so every test of the class, fail: scripts/setup.sh installs it.
/// </summary>
public sealed class PythonServerFixture : IAsyncLifetime
{
    public const int MaxReceiveMessageSize = 1024 * 1024;

    public PythonPeer Peer { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public TestService.TestServiceClient Client { get; private set; } = null!;

    public Uri Address => new($"http://127.0.0.1:{Peer.Port}");

    public async Task InitializeAsync()
    {
        Peer = await PythonPeer.StartAsync("test_server.py", MaxReceiveMessageSize.ToString(CultureInfo.InvariantCulture));
        Channel = ClusterChannel.Open(Address);
        Client = new TestService.TestServiceClient(Channel);

        // Open the connection now: a first call also pays for connecting and JIT, which
        // would eat a 50 ms deadline before the request ever reached the peer.
        await Client.UnaryCallAsync(new SimpleRequest());
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (Peer is not null)
        {
            await Peer.DisposeAsync();
        }
    }
}
