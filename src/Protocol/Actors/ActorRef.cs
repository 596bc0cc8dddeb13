namespace HyperSwarm.Protocol.Actors;

/// <summary>
/// The only way to reach an actor: tell (fire and forget, with backpressure when the mailbox
/// is full) and ask (request and reply, with a timeout).
/// </summary>
public sealed class ActorRef<TMessage> : IActorRef
    where TMessage : notnull
{
    private readonly TypedActorCell<TMessage> _cell;

    internal ActorRef(TypedActorCell<TMessage> cell) => _cell = cell;

    /// <inheritdoc />
    public string Path => _cell.Path;

    /// <inheritdoc />
    public Task Completion => _cell.Completion;

    /// <summary>Queues a message without waiting; false when the mailbox is full or the actor has stopped.</summary>
    public bool TryTell(TMessage message) => _cell.TryEnqueue(message);

    /// <summary>Queues a message, waiting while the mailbox is full (backpressure).</summary>
    public ValueTask TellAsync(TMessage message, CancellationToken cancellationToken = default) =>
        _cell.EnqueueAsync(message, cancellationToken);

    /// <summary>
    /// Sends the message built around a fresh <see cref="Reply{T}"/> and waits for the answer.
    /// Throws <see cref="AskTimeoutException"/> when none comes within <paramref name="timeout"/>,
    /// mailbox wait included.
    /// </summary>
    public async Task<TReply> AskAsync<TReply>(
        Func<Reply<TReply>, TMessage> request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var reply = new Reply<TReply>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _cell.EnqueueAsync(request(reply), deadline.Token).ConfigureAwait(false);
            return await reply.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AskTimeoutException(Path, timeout);
        }
    }

    /// <inheritdoc />
    public Task StopAsync()
    {
        _cell.RequestStop();
        return Completion;
    }

    /// <inheritdoc />
    public override string ToString() => Path;
}
