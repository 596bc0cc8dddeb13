using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// The route table of a server: exact <c>:path</c> → typed handler (GRPC.md §1.7 step 2).
/// Paths come from <see cref="Method{TRequest, TResponse}"/>, i.e. from the protobuf service
/// descriptors, and a handler must match its method's shape.
/// </summary>
public sealed class ServiceRoutes
{
    private readonly Dictionary<string, ServerMethod> _routes = new(StringComparer.Ordinal);

    /// <summary>The registered paths.</summary>
    public IReadOnlyCollection<string> Paths => _routes.Keys;

    /// <summary>Routes a unary method.</summary>
    public ServiceRoutes MapUnary<TRequest, TResponse>(
        Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Add(method, MethodType.Unary, handler);

    /// <summary>Routes a server-streaming method.</summary>
    public ServiceRoutes MapServerStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Add(method, MethodType.ServerStreaming, handler);

    /// <summary>Routes a client-streaming method.</summary>
    public ServiceRoutes MapClientStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Add(method, MethodType.ClientStreaming, handler);

    /// <summary>Routes a bidirectional streaming method.</summary>
    public ServiceRoutes MapDuplexStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Add(method, MethodType.DuplexStreaming, handler);

    internal bool TryFind(string path, out ServerMethod method) =>
        _routes.TryGetValue(path, out method!);

    private ServiceRoutes Add<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType shape, Delegate handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        if (method.Type != shape)
        {
            throw new ArgumentException($"{method.FullName} is {method.Type}, not {shape}.", nameof(method));
        }

        if (!_routes.TryAdd(method.FullName, new TypedServerMethod<TRequest, TResponse>(method, handler)))
        {
            throw new ArgumentException($"{method.FullName} is already routed.", nameof(method));
        }

        return this;
    }
}
