using Grpc.Core;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Cli.Worker;

/// <summary>
/// Follows a worker's first join through the node's hooks, so <c>--join-timeout</c> can give up
/// on a coordinator that never answers with the reason of the last attempt, instead of waiting
/// for ever (the node itself keeps retrying: workers may well start before their coordinator).
/// </summary>
internal sealed class JoinWatch
{
    private readonly TaskCompletionSource joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RpcException? lastFailure;

    /// <summary>The most recent failed attempt; null before the first failure.</summary>
    public RpcException? LastFailure => Volatile.Read(ref lastFailure);

    /// <summary>Whether the node has joined at least once.</summary>
    public bool HasJoined => joined.Task.IsCompleted;

    /// <summary>For <c>WorkerNodeOptions.OnJoined</c>.</summary>
    public void OnJoined(JoinResponse response) => joined.TrySetResult();

    /// <summary>For <c>WorkerNodeOptions.OnUnreachable</c>.</summary>
    public void OnUnreachable(RpcException error, TimeSpan retryIn) => Volatile.Write(ref lastFailure, error);

    /// <summary>
    /// Waits until the node has joined or <paramref name="run"/> has ended (true), or until
    /// <paramref name="timeout"/> passes first (false). A cancelled wait returns true: the
    /// run's own outcome then says what happened.
    /// </summary>
    public async Task<bool> WaitAsync(Task run, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var expiry = Task.Delay(timeout, time, done.Token);
        await Task.WhenAny(joined.Task, run, expiry).ConfigureAwait(false);
        await done.CancelAsync().ConfigureAwait(false);
        return HasJoined || run.IsCompleted || cancellationToken.IsCancellationRequested;
    }
}
