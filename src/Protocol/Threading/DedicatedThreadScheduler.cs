using System.Collections.Concurrent;

namespace HyperSwarm.Protocol.Threading;

/// <summary>
/// One OS thread that runs every task and continuation given to it, in order. Work that runs
/// here stays on that thread across <c>await</c>s, which is what thread-local state needs:
/// libtorch's grad mode and CUDA stream (DESIGN.md §3 step 4, STYLE.md §3.4 rule 9) for the
/// <c>train</c> command and the benchmarks (<c>TorchThread</c>), and the coordinator's population
/// loop, whose continuations must not queue behind the thread pool.
/// </summary>
public sealed class DedicatedThreadScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<WorkItem> _work = [];
    private readonly Thread _thread;

    /// <summary>Starts the thread.</summary>
    public DedicatedThreadScheduler(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The managed id of the thread, for assertions and logs.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Whether the caller is running on this scheduler's thread.</summary>
    public bool IsCurrentThread => Thread.CurrentThread == _thread;

    /// <summary>Runs <paramref name="work"/> on the thread and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);

    /// <summary>Lets queued work finish, then ends the thread.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (!IsCurrentThread)
        {
            _thread.Join();
        }

        _work.Dispose();
    }

    /// <inheritdoc />
    protected override void QueueTask(Task task) => _work.Add(new WorkItem(null, null, task));

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        IsCurrentThread && TryExecuteTask(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks() => [];

    private void Post(SendOrPostCallback callback, object? state) => _work.Add(new WorkItem(callback, state, null));

    private void Run()
    {
        // Continuations of awaits capture this context and come back to this thread.
        SynchronizationContext.SetSynchronizationContext(new Context(this));
        foreach (WorkItem item in _work.GetConsumingEnumerable())
        {
            if (item.Task is not null)
            {
                TryExecuteTask(item.Task);
            }
            else
            {
                item.Callback!(item.State);
            }
        }
    }

    private readonly record struct WorkItem(SendOrPostCallback? Callback, object? State, Task? Task);

    private sealed class Context(DedicatedThreadScheduler scheduler) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => scheduler.Post(d, state);

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (scheduler.IsCurrentThread)
            {
                d(state);
            }
            else
            {
                scheduler.InvokeAsync(() =>
                {
                    d(state);
                    return true;
                }).GetAwaiter().GetResult();
            }
        }

        public override SynchronizationContext CreateCopy() => this;
    }
}
