namespace HyperSwarm.Protocol.Grpc;

/// <summary>Writes a client's request messages on a streaming call.</summary>
public interface IClientStreamWriter<in T>
{
    /// <summary>Sends one message. Only one write may be in flight at a time.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Half-closes the request stream (END_STREAM, GRPC.md §1.5).</summary>
    Task CompleteAsync();
}
