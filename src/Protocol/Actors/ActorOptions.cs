namespace HyperSwarm.Protocol.Actors;

/// <summary>How an actor is created: name, mailbox size, supervision and where its loop runs.</summary>
public sealed record ActorOptions
{
    /// <summary>The last segment of the actor's path; a unique one is made up when null.</summary>
    public string? Name { get; init; }

    /// <summary>Mailbox capacity; a full mailbox makes <c>TellAsync</c> wait (backpressure).</summary>
    public int MailboxCapacity { get; init; } = 1024;

    /// <summary>How this actor's failures are handled.</summary>
    public SupervisionStrategy Supervision { get; init; } = SupervisionStrategy.Default;

    /// <summary>
    /// Where the actor's loop runs: null for the thread pool, or a
    /// <see cref="DedicatedThreadScheduler"/> for an actor that owns thread-local state such as
    /// a libtorch device (DESIGN.md §3 step 4).
    /// </summary>
    public TaskScheduler? Scheduler { get; init; }
}
