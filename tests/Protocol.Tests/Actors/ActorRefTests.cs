using HyperSwarm.Protocol.Actors;

namespace HyperSwarm.Protocol.Tests.Actors;

public sealed class ActorRefTests
{
    [Fact]
    public async Task Messages_from_one_sender_arrive_in_order()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn(() => new SequenceActor(senders: 1));

        for (int i = 0; i < 10_000; i++)
        {
            await actor.TellAsync(new SequenceActor.Item(0, i));
        }

        var (count, outOfOrder) = await actor.AskAsync<(long, long)>(r => new SequenceActor.Report(r), TimeSpan.FromSeconds(10));
        Assert.Equal((10_000, 0), (count, outOfOrder));
    }

    [Fact]
    public async Task No_message_is_lost_across_a_million_from_four_senders()
    {
        const int Senders = 4;
        const int PerSender = 250_000;
        await using var system = new ActorSystem();
        var actor = system.Spawn(() => new SequenceActor(Senders));

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (int i = 0; i < PerSender; i++)
            {
                await actor.TellAsync(new SequenceActor.Item(sender, i));
            }
        })));
        var (count, outOfOrder) = await actor.AskAsync<(long, long)>(r => new SequenceActor.Report(r), TimeSpan.FromSeconds(30));

        Assert.Equal((Senders * PerSender, 0), (count, outOfOrder));
    }

    [Fact]
    public async Task Ask_without_an_answer_times_out()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn(() => new SequenceActor(1));
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<AskTimeoutException>(() =>
            actor.AskAsync<int>(_ => new SequenceActor.Ignore(), TimeSpan.FromMilliseconds(100)));

        Assert.InRange(stopwatch.ElapsedMilliseconds, 90, 5000);
    }

    [Fact]
    public async Task A_full_mailbox_refuses_try_tell_and_makes_tell_async_wait()
    {
        await using var system = new ActorSystem();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn(() => new GatedActor(gate.Task, entered), new ActorOptions { MailboxCapacity = 4 });

        Assert.True(actor.TryTell(0));
        await entered.Task;
        for (int i = 1; i <= 4; i++)
        {
            Assert.True(actor.TryTell(i));
        }

        bool refused = !actor.TryTell(5);
        ValueTask waiting = actor.TellAsync(6);
        bool waitedWhileFull = !waiting.IsCompleted;
        gate.SetResult();
        await waiting;

        Assert.True(refused);
        Assert.True(waitedWhileFull);
    }

    [Fact]
    public async Task Stopping_drops_queued_messages_as_dead_letters_and_runs_post_stop()
    {
        await using var system = new ActorSystem();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = new GatedActor(gate.Task, entered);
        var actor = system.Spawn(() => gated);

        actor.TryTell(0);
        await entered.Task;
        actor.TryTell(1);
        actor.TryTell(2);
        Task stopped = actor.StopAsync();
        gate.SetResult();
        await stopped.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(2, system.DeadLetters);
        Assert.True(gated.PostStopRan);
        Assert.False(actor.TryTell(3));
    }

    /// <summary>Counts messages and checks that each sender's sequence arrives in order.</summary>
    private sealed class SequenceActor(int senders) : Actor<SequenceActor.IMessage>
    {
        private readonly int[] _next = new int[senders];
        private long _count;
        private long _outOfOrder;

        public interface IMessage;

        public sealed record Item(int Sender, int Sequence) : IMessage;

        public sealed record Report(Reply<(long, long)> Reply) : IMessage;

        public sealed record Ignore : IMessage;

        protected override ValueTask ReceiveAsync(IMessage message)
        {
            switch (message)
            {
                case Item item:
                    _count++;
                    if (item.Sequence != _next[item.Sender]++)
                    {
                        _outOfOrder++;
                    }

                    break;
                case Report report:
                    report.Reply.Send((_count, _outOfOrder));
                    break;
            }

            return default;
        }
    }

    /// <summary>Blocks on a gate at its first message, so the mailbox fills up behind it.</summary>
    private sealed class GatedActor(Task gate, TaskCompletionSource entered) : Actor<int>
    {
        public bool PostStopRan { get; private set; }

        protected override async ValueTask ReceiveAsync(int message)
        {
            entered.TrySetResult();
            await gate;
        }

        protected override ValueTask PostStopAsync()
        {
            PostStopRan = true;
            return default;
        }
    }
}
