using HyperSwarm.Coordinator.Node;
using HyperSwarm.Coordinator.Telemetry;

namespace HyperSwarm.Coordinator.Cluster;

/// <summary>
/// Where the coordinator node and the population singleton meet: the singleton starts a
/// <see cref="PopulationHost"/> through it (rebuilt from the store each time), and the node's gRPC
/// service and owner find the population it hosts here. The last host stays readable after it
/// stopped, so a stopped node still shows where its population ended.
/// </summary>
internal sealed class PopulationHosting(CoordinatorNodeOptions options, CoordinatorCluster cluster, HyperSwarmTelemetry telemetry)
{
    private readonly TaskCompletionSource<PopulationHost> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile PopulationHost? _current;

    public CoordinatorNodeOptions Options => options;

    /// <summary>The population this node hosts (or hosted last); null before the singleton first started here.</summary>
    public PopulationHost? Current => _current;

    /// <summary>The first start on this node: faults with the reason when it failed (a store of another run, say).</summary>
    public Task<PopulationHost> FirstStart => _first.Task;

    /// <summary>Starts a population here, rebuilt from the store (the singleton does, wherever it runs).</summary>
    public async Task<PopulationHost> StartAsync()
    {
        try
        {
            var host = await PopulationHost.StartAsync(options, cluster, telemetry, CancellationToken.None).ConfigureAwait(false);
            _current = host;
            _first.TrySetResult(host);
            return host;
        }
        catch (Exception e)
        {
            // The node's start reports it; a later start (the singleton restarted) fails on its own.
            _first.TrySetException(e);
            throw;
        }
    }
}
