using System.Threading.Channels;
using HyperSwarm.Protocol.Actors;

namespace HyperSwarm.Protocol.Tests.Actors;

public sealed class MailboxTests
{
    [Fact]
    public void TryWrite_refuses_past_the_capacity_and_accepts_again_after_a_read()
    {
        var mailbox = new Mailbox<int>(2);
        Assert.True(mailbox.TryWrite(1));
        Assert.True(mailbox.TryWrite(2));
        Assert.False(mailbox.TryWrite(3));

        Assert.True(mailbox.TryRead(out var first));
        Assert.Equal(1, first);
        Assert.True(mailbox.TryWrite(3));
        Assert.False(mailbox.TryWrite(4));
    }

    [Fact]
    public async Task A_writer_waits_while_full_and_completes_when_the_reader_takes_one()
    {
        var mailbox = new Mailbox<int>(1);
        Assert.True(mailbox.TryWrite(1));

        var pending = mailbox.WriteAsync(2, CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);

        Assert.True(mailbox.TryRead(out _));
        await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(mailbox.TryRead(out var second));
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task Closing_wakes_waiting_writers_with_ChannelClosedException()
    {
        var mailbox = new Mailbox<int>(1);
        Assert.True(mailbox.TryWrite(1));
        var pending = mailbox.WriteAsync(2, CancellationToken.None).AsTask();

        mailbox.Complete();

        await Assert.ThrowsAsync<ChannelClosedException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(mailbox.TryWrite(3));
    }

    [Fact]
    public async Task Cancelling_a_waiting_writer_leaves_the_mailbox_usable()
    {
        var mailbox = new Mailbox<int>(1);
        Assert.True(mailbox.TryWrite(1));
        using var cancel = new CancellationTokenSource();
        var pending = mailbox.WriteAsync(2, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.True(mailbox.TryRead(out _));
        Assert.True(mailbox.TryWrite(3));
    }

    [Fact]
    public async Task Four_writers_through_a_tiny_mailbox_lose_nothing_and_keep_each_writers_order()
    {
        const int writers = 4, perWriter = 50_000;
        var mailbox = new Mailbox<(int Writer, int Seq)>(4);
        var producers = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                await mailbox.WriteAsync((w, i), CancellationToken.None);
            }
        })).ToArray();

        var next = new int[writers];
        var received = 0;
        var consumer = Task.Run(async () =>
        {
            while (received < writers * perWriter && await mailbox.WaitToReadAsync())
            {
                while (mailbox.TryRead(out var item))
                {
                    Assert.Equal(next[item.Writer], item.Seq);
                    next[item.Writer]++;
                    received++;
                }
            }
        });

        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(60));
        await consumer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(writers * perWriter, received);
        Assert.All(next, n => Assert.Equal(perWriter, n));
    }
}
