namespace HyperSwarm.Protocol.Grpc;

/// <summary>A stream of incoming messages, read one at a time.</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNextAsync"/>.</summary>
    T Current { get; }

    /// <summary>
    /// Reads the next message; false when the peer has finished sending. Throws
    /// <see cref="RpcException"/> if the call fails.
    /// </summary>
    ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default);
}
