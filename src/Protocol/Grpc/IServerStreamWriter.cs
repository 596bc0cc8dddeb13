namespace HyperSwarm.Protocol.Grpc;

/// <summary>Writes a handler's response messages; each write is flushed (GRPC.md §1.7 step 6).</summary>
public interface IServerStreamWriter<in T>
{
    /// <summary>Sends one message. Only one write may be in flight at a time.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
