using System.Collections.Concurrent;

namespace HyperSwarm.Protocol.Actors;

/// <summary>
/// The untyped part of a running actor: its place in the tree (path, parent, children) and
/// its signal queue, which is read before the mailbox so that stop and escalation are not
/// stuck behind a full mailbox.
/// </summary>
internal abstract class ActorCell : IActorRef
{
    private readonly ConcurrentQueue<ActorSignal> _signals = new();
    private readonly List<ActorCell> _children = [];

    protected ActorCell(ActorSystem system, ActorCell? parent, string path)
    {
        System = system;
        Parent = parent;
        Path = path;
    }

    public ActorSystem System { get; }

    public ActorCell? Parent { get; }

    public string Path { get; }

    public abstract Task Completion { get; }

    public IReadOnlyList<IActorRef> Children
    {
        get
        {
            lock (_children)
            {
                return [.. _children];
            }
        }
    }

    protected bool HasSignals => !_signals.IsEmpty;

    public Task StopAsync()
    {
        RequestStop();
        return Completion;
    }

    public void RequestStop() => Signal(ActorSignal.Stop);

    public void AddChild(ActorCell child)
    {
        lock (_children)
        {
            if (_children.Any(c => c.Path == child.Path))
            {
                throw new ArgumentException($"{child.Path} already exists.", nameof(child));
            }

            _children.Add(child);
        }
    }

    public void RemoveChild(ActorCell child)
    {
        lock (_children)
        {
            _children.Remove(child);
        }
    }

    public void ChildEscalated(IActorRef child, Exception error) => Signal(new ActorSignal.ChildEscalated(child, error));

    protected bool TryTakeSignal(out ActorSignal? signal) => _signals.TryDequeue(out signal);

    protected async Task StopChildrenAsync()
    {
        foreach (IActorRef child in Children)
        {
            await child.StopAsync();
        }
    }

    /// <summary>Makes an idle loop look at its signals.</summary>
    protected abstract void Wake();

    private void Signal(ActorSignal signal)
    {
        _signals.Enqueue(signal);
        Wake();
    }
}
