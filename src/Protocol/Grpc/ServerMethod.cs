namespace HyperSwarm.Protocol.Grpc;

/// <summary>A route target: runs one call of a registered method on a <see cref="ServerCall"/>.</summary>
internal abstract class ServerMethod
{
    public abstract Task InvokeAsync(ServerCall call);
}
