using System.Collections.Concurrent;
using System.Globalization;

namespace HyperSwarm.Protocol.Actors;

/// <summary>
/// The root of an actor tree: spawns top-level actors, counts dead letters, and receives the
/// escalations of top-level actors, which have no parent to restart them.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ActorCell> _roots = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ActorEscalation> _escalations = new();
    private readonly Action<ActorEscalation>? _onEscalation;
    private long _deadLetters;
    private long _nextId;

    /// <summary>Creates a system; <paramref name="onEscalation"/> hears top-level failures.</summary>
    public ActorSystem(TimeProvider? time = null, Action<ActorEscalation>? onEscalation = null)
    {
        Time = time ?? TimeProvider.System;
        _onEscalation = onEscalation;
    }

    /// <summary>The clock of timers, backoffs and failure windows.</summary>
    public TimeProvider Time { get; }

    /// <summary>Messages that reached an actor after it stopped.</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Failures that top-level actors escalated.</summary>
    public IReadOnlyCollection<ActorEscalation> Escalations => _escalations;

    /// <summary>Starts a top-level actor.</summary>
    public ActorRef<TMessage> Spawn<TMessage>(Func<Actor<TMessage>> factory, ActorOptions? options = null)
        where TMessage : notnull =>
        Spawn(factory, options, parent: null);

    /// <summary>Stops every actor, children first.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (ActorCell root in _roots.Values)
        {
            await root.StopAsync().ConfigureAwait(false);
        }
    }

    internal ActorRef<TMessage> Spawn<TMessage>(Func<Actor<TMessage>> factory, ActorOptions? options, ActorCell? parent)
        where TMessage : notnull
    {
        options ??= new ActorOptions();
        string name = options.Name
            ?? string.Create(CultureInfo.InvariantCulture, $"$a{Interlocked.Increment(ref _nextId)}");
        var cell = new TypedActorCell<TMessage>(this, parent, $"{parent?.Path}/{name}", factory, options);
        if (parent is null)
        {
            if (!_roots.TryAdd(cell.Path, cell))
            {
                throw new ArgumentException($"{cell.Path} already exists.", nameof(options));
            }
        }
        else
        {
            parent.AddChild(cell);
        }

        cell.Start();
        return cell.Self;
    }

    internal void CountDeadLetter() => Interlocked.Increment(ref _deadLetters);

    internal void Forget(ActorCell cell) => _roots.TryRemove(new KeyValuePair<string, ActorCell>(cell.Path, cell));

    internal void Escalate(ActorEscalation escalation)
    {
        _escalations.Enqueue(escalation);
        _onEscalation?.Invoke(escalation);
    }
}
