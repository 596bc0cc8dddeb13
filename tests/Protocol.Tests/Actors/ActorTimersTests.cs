using HyperSwarm.Protocol.Actors;

namespace HyperSwarm.Protocol.Tests.Actors;

public sealed class ActorTimersTests
{
    [Fact]
    public async Task A_single_timer_fires_once_and_a_periodic_one_keeps_firing_until_cancelled()
    {
        await using var system = new ActorSystem();
        var ticks = new TickLog();
        var actor = system.Spawn(() => new TimedActor(ticks));

        await ticks.Periodic.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await ticks.Single.Task.WaitAsync(TimeSpan.FromSeconds(5));
        int singles = await actor.AskAsync<int>(r => new TimedActor.CountSingles(r), TimeSpan.FromSeconds(5));

        Assert.Equal(1, singles);
    }

    [Fact]
    public async Task Timers_stop_with_their_actor()
    {
        await using var system = new ActorSystem();
        var ticks = new TickLog();
        var actor = system.Spawn(() => new TimedActor(ticks));
        await ticks.Periodic.Task.WaitAsync(TimeSpan.FromSeconds(5));

        await actor.StopAsync();
        long deadBefore = system.DeadLetters;
        await Task.Delay(50);

        Assert.Equal(deadBefore, system.DeadLetters);
    }

    private sealed class TickLog
    {
        public TaskCompletionSource Periodic { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Single { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class TimedActor(TickLog log) : Actor<TimedActor.IMessage>
    {
        private int _periodic;
        private int _singles;

        public interface IMessage;

        public sealed record Tick : IMessage;

        public sealed record Once : IMessage;

        public sealed record CountSingles(Reply<int> Reply) : IMessage;

        protected override ValueTask PreStartAsync()
        {
            Context.Timers.StartPeriodic("tick", new Tick(), TimeSpan.FromMilliseconds(2));
            Context.Timers.StartSingle("once", new Once(), TimeSpan.FromMilliseconds(5));
            return default;
        }

        protected override ValueTask ReceiveAsync(IMessage message)
        {
            switch (message)
            {
                case Tick when ++_periodic == 5:
                    log.Periodic.TrySetResult();
                    break;
                case Once:
                    _singles++;
                    log.Single.TrySetResult();
                    break;
                case CountSingles count:
                    count.Reply.Send(_singles);
                    break;
            }

            return default;
        }
    }
}
