using System.Collections.Concurrent;

namespace HyperSwarm.Bench;

/// <summary>
/// One dedicated OS thread that runs libtorch work items in order, with its intra-op thread
/// count set on that thread. libtorch's OpenMP thread count is fixed per OS thread when the
/// thread first runs a parallel op, and grad mode is per thread, so a model must stay on one
/// thread; member actors are built the same way.
/// </summary>
public sealed class TorchThread : IDisposable
{
    private readonly BlockingCollection<Action> work = new();
    private readonly Thread thread;

    /// <summary>Starts the thread; <paramref name="threads"/> is libtorch's intra-op thread count on it.</summary>
    public TorchThread(int threads)
    {
        thread = new Thread(() =>
        {
            Torch.Torch.NumThreads = threads;
            foreach (var item in work.GetConsumingEnumerable()) item();
        })
        {
            IsBackground = true,
            Name = "bench-torch",
        };
        thread.Start();
    }

    /// <summary>Runs <paramref name="function"/> on the thread; its exception, if any, reaches the awaiting caller.</summary>
    public Task<T> RunAsync<T>(Func<T> function)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add(() =>
        {
            try
            {
                done.SetResult(function());
            }
#pragma warning disable CA1031 // not swallowed: handed to the awaiting caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>Lets queued work finish, then ends the thread.</summary>
    public void Dispose()
    {
        work.CompleteAdding();
        thread.Join();
        work.Dispose();
    }
}
