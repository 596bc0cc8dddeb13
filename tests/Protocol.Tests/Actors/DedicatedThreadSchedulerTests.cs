using HyperSwarm.Protocol.Actors;

namespace HyperSwarm.Protocol.Tests.Actors;

public sealed class DedicatedThreadSchedulerTests
{
    [Fact]
    public async Task An_actor_on_a_dedicated_thread_stays_on_it_across_awaits_and_restarts()
    {
        using var thread = new DedicatedThreadScheduler("device-0");
        await using var system = new ActorSystem();
        var seen = new List<int>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new ActorOptions
        {
            Scheduler = thread,
            Supervision = new SupervisionStrategy { MinBackoff = TimeSpan.FromMilliseconds(1) },
        };
        var actor = system.Spawn(() => new ThreadRecordingActor(seen, done), options);

        for (int i = 0; i < 50; i++)
        {
            await actor.TellAsync(i);
        }

        await actor.TellAsync(-1);
        await actor.TellAsync(ThreadRecordingActor.Done);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await actor.StopAsync();

        Assert.True(seen.Count >= 2 + (52 * 3), $"{seen.Count} records");
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

    /// <summary>Records its thread before and after awaits; -1 makes it fail (and restart).</summary>
    private sealed class ThreadRecordingActor(List<int> seen, TaskCompletionSource done) : Actor<int>
    {
        public const int Done = 999;

        protected override ValueTask PreStartAsync()
        {
            Record();
            return default;
        }

        protected override async ValueTask ReceiveAsync(int message)
        {
            Record();
            await Task.Yield();
            Record();
            await Task.Delay(1);
            Record();
            if (message == -1)
            {
                throw new InvalidOperationException("restart me");
            }

            if (message == Done)
            {
                done.TrySetResult();
            }
        }

        private void Record()
        {
            lock (seen)
            {
                seen.Add(Environment.CurrentManagedThreadId);
            }
        }
    }
}
