using HyperSwarm.Protocol.Threading;

namespace HyperSwarm.Protocol.Tests.Threading;

public sealed class DedicatedThreadSchedulerTests
{
    [Fact]
    public async Task Work_started_on_the_thread_stays_on_it_across_awaits_even_after_a_failure()
    {
        using var thread = new DedicatedThreadScheduler("device-0");
        var seen = new List<int>();

        for (int i = 0; i < 50; i++)
        {
            await Task.Factory.StartNew(() => RecordAcrossAwaitsAsync(seen, fail: false), CancellationToken.None, TaskCreationOptions.DenyChildAttach, thread).Unwrap();
        }

        var failed = Task.Factory.StartNew(() => RecordAcrossAwaitsAsync(seen, fail: true), CancellationToken.None, TaskCreationOptions.DenyChildAttach, thread).Unwrap();
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        await Task.Factory.StartNew(() => RecordAcrossAwaitsAsync(seen, fail: false), CancellationToken.None, TaskCreationOptions.DenyChildAttach, thread).Unwrap();

        Assert.Equal(52 * 3, seen.Count);
        Assert.All(seen, id => Assert.Equal(thread.ManagedThreadId, id));
    }

    [Fact]
    public async Task Invoke_runs_on_the_thread_and_returns_its_result()
    {
        using var thread = new DedicatedThreadScheduler("device-1");

        int id = await thread.InvokeAsync(() => Environment.CurrentManagedThreadId);

        Assert.Equal(thread.ManagedThreadId, id);
        Assert.NotEqual(Environment.CurrentManagedThreadId, id);
    }

    // Records its thread before and after a yield and a timer: both continuations come back to the
    // scheduler that started it, never to the thread pool.
    private static async Task RecordAcrossAwaitsAsync(List<int> seen, bool fail)
    {
        Record(seen);
        await Task.Yield();
        Record(seen);
        await Task.Delay(1);
        Record(seen);
        if (fail) throw new InvalidOperationException("a failure does not move later work off the thread");
    }

    private static void Record(List<int> seen)
    {
        lock (seen)
        {
            seen.Add(Environment.CurrentManagedThreadId);
        }
    }
}
