namespace HyperSwarm.Bench;

/// <summary>
/// Runs libtorch work on a fresh, dedicated OS thread with its intra-op thread count set
/// on that thread. libtorch's OpenMP thread count is fixed per OS thread when the thread
/// first runs a parallel op, so work that hops between pool threads after an await can run
/// with the wrong count; member actors own one thread for the same reason.
/// </summary>
public static class TorchThread
{
    /// <summary>Runs <paramref name="work"/> on a new thread using <paramref name="threads"/> intra-op threads.</summary>
    public static Task<T> RunAsync<T>(int threads, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Torch.Torch.NumThreads = threads;
                done.SetResult(work());
            }
#pragma warning disable CA1031 // not swallowed: handed to the awaiting caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "bench-torch",
        };
        thread.Start();
        return done.Task;
    }
}
