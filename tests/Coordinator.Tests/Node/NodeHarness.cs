using HyperSwarm.Protocol.Hyperparameters;
using System.Collections.Immutable;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Node;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;
using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using V1 = HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Node;

/// <summary>
/// A real <see cref="CoordinatorNode"/> on loopback with a SQLite store in a temp directory, a
/// manual clock, a channel for observers and a watcher that records the event log from the
/// start. <see cref="RestartAsync"/> stops the node and starts a new one on the same file.
/// </summary>
internal sealed class NodeHarness : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hs-node-").FullName;
    private readonly List<FakeWorker> _workers = [];
    private readonly CoordinatorNodeOptions _template;
    private GrpcChannel? _observer;

    private NodeHarness(CoordinatorNodeOptions template) => _template = template;

    public FakeTime Time { get; } = new();

    public CoordinatorNode Node { get; private set; } = null!;

    public IPopulationStore Store { get; private set; } = null!;

    public EventWatcher Events { get; private set; } = null!;

    public GrpcChannel Observer => _observer!;

    public string StorePath => Path.Combine(_directory, "population.db");

    /// <summary>Lease deadlines that never pass in a test that is not about them (the manual clock moves in big steps).</summary>
    public static MembershipOptions Patient { get; } = new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(1),
        JoinWithin = TimeSpan.FromHours(1),
        RejoinGrace = TimeSpan.FromHours(1),
    };

    public static PopulationOptions Population(int size, long readySteps = 100, long totalSteps = 10_000) => new()
    {
        Size = size,
        ReadySteps = readySteps,
        TotalSteps = totalSteps,
        Space = [new HyperparameterRange("dropout", HyperparameterKind.Bounded, 0, 0.8, 0.3)],
    };

    public static async Task<NodeHarness> StartAsync(PopulationOptions population, Func<CoordinatorNodeOptions, CoordinatorNodeOptions>? configure = null)
    {
        var harness = new NodeHarness(new CoordinatorNodeOptions
        {
            Store = null!,
            RunId = "run-test",
            ConfigYaml = "seed: 7\n",
            Population = population,
            Membership = Patient,
            SelectionInterval = TimeSpan.FromSeconds(10),
            SweepInterval = TimeSpan.FromMilliseconds(500),
            ReportFlushInterval = TimeSpan.FromSeconds(1),
        });
        await harness.StartNodeAsync(configure);
        return harness;
    }

    public async Task<FakeWorker> WorkerAsync(string id, int capacity, bool open = true, bool crashable = false)
    {
        var worker = new FakeWorker(Node.Address, id, capacity, crashable: crashable);
        _workers.Add(worker);
        await worker.JoinAsync();
        if (open) await worker.OpenSessionAsync();
        return worker;
    }

    public Task<V1.Population> PopulationAsync() => new Protocol.V1.Coordinator.CoordinatorClient(Observer).GetPopulationAsync(new V1.GetPopulationRequest()).ResponseAsync;

    public async Task RestartAsync(Func<CoordinatorNodeOptions, CoordinatorNodeOptions>? configure = null)
    {
        await StopNodeAsync();
        await StartNodeAsync(configure);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers) await worker.DisposeAsync();
        await StopNodeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task StartNodeAsync(Func<CoordinatorNodeOptions, CoordinatorNodeOptions>? configure)
    {
        Store = await PopulationStore.OpenAsync($"sqlite:{StorePath}");
        var options = _template with { Store = Store, Time = Time };
        if (configure is not null) options = configure(options);
        Node = await CoordinatorNode.StartAsync(options);
        _observer = ClusterChannel.Open(Node.Address, new ClusterChannelOptions { Token = options.Server.Token });
        Events = new EventWatcher(_observer);
    }

    private async Task StopNodeAsync()
    {
        Events?.Dispose();
        Events = null!;
        _observer?.Dispose();
        _observer = null;
        if (Node is not null) await Node.DisposeAsync();
        Node = null!;
        if (Store is not null) await Store.DisposeAsync();
        Store = null!;
    }
}
