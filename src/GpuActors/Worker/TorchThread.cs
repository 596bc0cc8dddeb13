using HyperSwarm.Protocol.Threading;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// A <see cref="DedicatedThreadScheduler"/> whose thread has its libtorch intra-op thread count
/// set, for work outside the worker's actor system (<c>hyperswarm train</c>, evaluation, the
/// step-rate probe, benchmarks). libtorch fixes OpenMP's thread count per OS thread at its first
/// parallel op, and grad mode is per thread, so a model stays on one thread, as member actors
/// do on their pinned dispatcher.
/// </summary>
public static class TorchThread
{
    /// <summary>Starts the thread and sets <paramref name="threads"/> on it before anything else runs there.</summary>
    public static async Task<DedicatedThreadScheduler> StartAsync(int threads, string name = "torch")
    {
        var scheduler = new DedicatedThreadScheduler(name);
        await scheduler.InvokeAsync(() => Torch.Torch.NumThreads = threads).ConfigureAwait(false);
        return scheduler;
    }

    /// <summary>Runs <paramref name="work"/> start to end on a fresh torch thread, then stops the thread.</summary>
    public static async Task<T> RunAsync<T>(int threads, Func<T> work)
    {
        using var scheduler = await StartAsync(threads).ConfigureAwait(false);
        return await scheduler.InvokeAsync(work).ConfigureAwait(false);
    }
}
