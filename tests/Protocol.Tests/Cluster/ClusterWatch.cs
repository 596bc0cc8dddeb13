using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;

namespace HyperSwarm.Protocol.Tests.Cluster;

/// <summary>
/// Signals from one node's view of the cluster: members seen up (with their roles) and
/// association errors (a TLS handshake a peer refused), awaited instead of polled.
/// </summary>
internal sealed class ClusterWatch : IDisposable
{
    private readonly ActorSystem system;
    private readonly IActorRef listener;
    private readonly ConcurrentQueue<object> seen = new();
    private readonly SemaphoreSlim changed = new(0);
    private readonly TaskCompletionSource subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterWatch(ActorSystem system)
    {
        this.system = system;
        listener = system.ActorOf(Props.Create(() => new Listener(this)));
    }

    public IReadOnlyList<Member> Up => [.. seen.OfType<ClusterEvent.MemberUp>().Select(e => e.Member)];

    /// <summary>Completes once the listener has subscribed: nothing published after that is missed.</summary>
    public Task ReadyAsync(TimeSpan timeout) => subscribed.Task.WaitAsync(timeout);

    public Task<Member> UpAsync(Func<Member, bool> match, TimeSpan timeout) =>
        WaitAsync(() => Up.FirstOrDefault(match), timeout, "a member up");

    public Task<AssociationErrorEvent> AssociationErrorAsync(TimeSpan timeout) =>
        WaitAsync(() => seen.OfType<AssociationErrorEvent>().FirstOrDefault(), timeout, "an association error");

    public void Dispose() => system.Stop(listener);

    private async Task<T> WaitAsync<T>(Func<T?> find, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (find() is { } found) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await changed.WaitAsync(left)) throw new TimeoutException($"{system.Name}@{Akka.Cluster.Cluster.Get(system).SelfAddress} saw no {what} within {timeout}.");
        }
    }

    private sealed class Listener : ReceiveActor
    {
        private readonly ClusterWatch watch;

        public Listener(ClusterWatch watch)
        {
            this.watch = watch;
            ReceiveAny(message =>
            {
                watch.seen.Enqueue(message);
                watch.changed.Release();
            });
        }

        protected override void PreStart()
        {
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));
            Context.System.EventStream.Subscribe(Self, typeof(AssociationErrorEvent));
            watch.subscribed.TrySetResult();
        }

        protected override void PostStop()
        {
            Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
            Context.System.EventStream.Unsubscribe(Self);
        }
    }
}
