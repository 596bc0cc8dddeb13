using HyperSwarm.Protocol.Actors;

namespace HyperSwarm.Protocol.Tests.Actors;

public sealed class ActorSystemTests
{
    private static readonly SupervisionStrategy Quick = new()
    {
        MaxFailures = 2, Window = TimeSpan.FromMinutes(1), MinBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5),
    };

    [Fact]
    public async Task A_failing_actor_is_restarted_fresh_and_keeps_its_mailbox()
    {
        await using var system = new ActorSystem();
        var starts = new List<int>();
        var actor = system.Spawn(() => new CounterActor(starts), new ActorOptions { Supervision = Quick });

        foreach (var message in new CounterActor.IMessage[] { new CounterActor.Add(), new CounterActor.Add(), new CounterActor.Fail(), new CounterActor.Add() })
        {
            actor.TryTell(message);
        }

        int count = await actor.AskAsync<int>(r => new CounterActor.Get(r), TimeSpan.FromSeconds(5));

        Assert.Equal(1, count);
        Assert.Equal(2, starts.Count);
    }

    [Fact]
    public async Task Too_many_failures_in_the_window_escalate_to_the_parent()
    {
        await using var system = new ActorSystem();
        var escalated = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = system.Spawn(() => new ParentActor(escalated, Quick), ParentActor.Options);
        var child = await parent.AskAsync<ActorRef<CounterActor.IMessage>>(r => new ParentActor.GetChild(r), TimeSpan.FromSeconds(5));

        for (int i = 0; i < 3; i++)
        {
            await child.TellAsync(new CounterActor.Fail());
        }

        Exception error = await escalated.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await child.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal("/parent/child", child.Path);
    }

    [Fact]
    public async Task A_top_level_actor_that_gives_up_is_reported_by_the_system()
    {
        var reported = new TaskCompletionSource<ActorEscalation>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var system = new ActorSystem(onEscalation: e => reported.TrySetResult(e));
        var actor = system.Spawn(() => new CounterActor([]), new ActorOptions { Name = "fragile", Supervision = Quick with { MaxFailures = 0 } });

        actor.TryTell(new CounterActor.Fail());
        ActorEscalation escalation = await reported.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("/fragile", escalation.Path);
        Assert.Single(system.Escalations);
    }

    [Fact]
    public async Task Resume_keeps_the_state_and_stop_ends_the_actor()
    {
        await using var system = new ActorSystem();
        var resume = system.Spawn(() => new CounterActor([]), new ActorOptions { Supervision = Quick with { Decider = _ => SupervisionDirective.Resume } });
        var stop = system.Spawn(() => new CounterActor([]), new ActorOptions { Supervision = Quick with { Decider = _ => SupervisionDirective.Stop } });

        resume.TryTell(new CounterActor.Add());
        resume.TryTell(new CounterActor.Fail());
        resume.TryTell(new CounterActor.Add());
        stop.TryTell(new CounterActor.Fail());
        int count = await resume.AskAsync<int>(r => new CounterActor.Get(r), TimeSpan.FromSeconds(5));
        await stop.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(2, count);
        Assert.Empty(system.Escalations);
    }

    [Fact]
    public async Task Duplicate_top_level_names_are_refused()
    {
        await using var system = new ActorSystem();
        system.Spawn(() => new CounterActor([]), new ActorOptions { Name = "one" });

        Assert.Throws<ArgumentException>(() => system.Spawn(() => new CounterActor([]), new ActorOptions { Name = "one" }));
    }

    /// <summary>Counts; fails on demand; records each fresh start.</summary>
    private sealed class CounterActor(List<int> starts) : Actor<CounterActor.IMessage>
    {
        private int _count;

        public interface IMessage;

        public sealed record Add : IMessage;

        public sealed record Fail : IMessage;

        public sealed record Get(Reply<int> Reply) : IMessage;

        protected override ValueTask PreStartAsync()
        {
            lock (starts)
            {
                starts.Add(starts.Count);
            }

            return default;
        }

        protected override ValueTask ReceiveAsync(IMessage message)
        {
            switch (message)
            {
                case Add:
                    _count++;
                    break;
                case Fail:
                    throw new InvalidOperationException("asked to fail");
                case Get get:
                    get.Reply.Send(_count);
                    break;
            }

            return default;
        }
    }

    /// <summary>Owns one child and reports what the child escalates.</summary>
    private sealed class ParentActor(TaskCompletionSource<Exception> escalated, SupervisionStrategy childStrategy)
        : Actor<ParentActor.GetChild>
    {
        private ActorRef<CounterActor.IMessage>? _child;

        public sealed record GetChild(Reply<ActorRef<CounterActor.IMessage>> Reply);

        public static ActorOptions Options => new() { Name = "parent" };

        protected override ValueTask PreStartAsync()
        {
            _child = Context.Spawn(() => new CounterActor([]), new ActorOptions { Name = "child", Supervision = childStrategy });
            return default;
        }

        protected override ValueTask ReceiveAsync(GetChild message)
        {
            message.Reply.Send(_child!);
            return default;
        }

        protected override ValueTask OnChildEscalatedAsync(IActorRef child, Exception error)
        {
            escalated.TrySetResult(error);
            return default;
        }
    }
}
