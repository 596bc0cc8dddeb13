using System.Threading.Channels;

namespace HyperSwarm.Protocol.Actors;

/// <summary>
/// An actor's bounded, single-reader mailbox. A bounded <see cref="Channel"/> takes a lock on
/// every write and read, which capped one actor at 3–5 million messages/s on two cores; this
/// one keeps the lock-free single-reader queue of an unbounded channel and enforces the bound
/// with an atomic count. Writers that find it full wait, asynchronously, for the reader to
/// take something (<see cref="WriteAsync"/>); <see cref="TryWrite"/> never waits.
/// </summary>
internal sealed class Mailbox<T>
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions
    {
        SingleReader = true,
        AllowSynchronousContinuations = false,
    });

    private readonly SemaphoreSlim _space = new(0);
    private readonly int _capacity;
    private readonly int _lowWater;
    private int _count;          // accepted and not yet read
    private int _waitingWriters;
    private volatile bool _closed;

    public Mailbox(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _lowWater = capacity / 2;
    }

    /// <summary>Completes when the mailbox is closed and drained.</summary>
    public Task Completion => _queue.Reader.Completion;

    /// <summary>Adds <paramref name="item"/> unless the mailbox is full or closed.</summary>
    public bool TryWrite(T item)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _count); // closed
            return false;
        }

        return true;
    }

    /// <summary>Adds <paramref name="item"/>, waiting while the mailbox is full; throws <see cref="ChannelClosedException"/> once closed.</summary>
    public async ValueTask WriteAsync(T item, CancellationToken cancellationToken)
    {
        while (!TryWrite(item))
        {
            if (_closed)
            {
                throw new ChannelClosedException();
            }

            Interlocked.Increment(ref _waitingWriters);
            try
            {
                // Retry after registering: a read that happened before the registration did
                // not see this writer and released nothing.
                if (TryWrite(item))
                {
                    return;
                }

                await _space.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waitingWriters);
            }
        }
    }

    /// <summary>Takes the next item, if any (single reader).</summary>
    public bool TryRead(out T item)
    {
        if (!_queue.Reader.TryRead(out item!))
        {
            return false;
        }

        // Wake waiting writers only once the mailbox has drained to half: waking them for every
        // freed slot makes a producer and a consumer hand the CPU back and forth per message.
        // No wake-up is lost: a writer waits only after re-checking, once registered, that the
        // mailbox is full, so the reader still has to cross the low-water mark and will see it.
        if (Interlocked.Decrement(ref _count) <= _lowWater && Volatile.Read(ref _waitingWriters) > 0)
        {
            _space.Release();
        }

        return true;
    }

    /// <summary>Waits until an item can be read; false once closed and drained.</summary>
    public ValueTask<bool> WaitToReadAsync() => _queue.Reader.WaitToReadAsync();

    /// <summary>Closes for writing; waiting writers wake and see it closed.</summary>
    public void Complete()
    {
        _closed = true;
        _queue.Writer.TryComplete();
        var waiting = Volatile.Read(ref _waitingWriters);
        if (waiting > 0)
        {
            _space.Release(waiting);
        }
    }
}
