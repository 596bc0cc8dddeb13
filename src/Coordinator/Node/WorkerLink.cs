using System.Threading.Channels;
using HyperSwarm.Coordinator.Membership;
using Grpc.Core;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// One lease's way to its worker: the commands queued for it (from the join on, before the
/// worker has opened its session) and, once fenced, the status its session ends with. At most
/// one session drains it at a time; sequences are numbered per lease, so they rise within
/// every session.
/// </summary>
internal sealed class WorkerLink(WorkerLease lease)
{
    // Synchronous continuations: the session's writer, parked on an empty queue, runs on the
    // population actor's thread the moment a command is queued, and writes it to Kestrel there,
    // instead of waiting its turn in a thread pool that a flood of reports keeps busy.
    private readonly Channel<CoordinatorCommand> _commands = Channel.CreateUnbounded<CoordinatorCommand>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private long _sequence;
    private int _attached;
    private volatile RpcException? _fence;
    private volatile bool _draining;

    public WorkerLease Lease => lease;

    public string WorkerId => lease.WorkerId;

    public long Epoch => lease.Epoch;

    /// <summary>Why this lease may no longer talk to the population; null while it may.</summary>
    public RpcException? Fence => _fence;

    public ChannelReader<CoordinatorCommand> Commands => _commands.Reader;

    /// <summary>True once the worker was told to drain: its session ends when the worker has said its last.</summary>
    public bool Draining => _draining;

    /// <summary>Queues a command (on the population actor) and returns its sequence; 0 when the link is closed.</summary>
    public long Send(Func<long, CoordinatorCommand> build)
    {
        if (_fence is not null) return 0;
        var sequence = ++_sequence;
        return _commands.Writer.TryWrite(build(sequence)) ? sequence : 0;
    }

    /// <summary>Ends the lease's session (now, or as soon as one opens) with <paramref name="status"/>.</summary>
    public void Close(Status status)
    {
        _fence ??= new RpcException(status);
        _commands.Writer.TryComplete();
    }

    /// <summary>Tells the worker to drain, then closes the queue normally: its session ends once the worker has said its last.</summary>
    public void Drain(string reason)
    {
        _draining = true;
        Send(sequence => new CoordinatorCommand { Sequence = sequence, Drain = new Drain { Reason = reason } });
        _commands.Writer.TryComplete();
    }

    public bool TryAttach() => Interlocked.CompareExchange(ref _attached, 1, 0) == 0;

    public void Detach() => Interlocked.Exchange(ref _attached, 0);
}
