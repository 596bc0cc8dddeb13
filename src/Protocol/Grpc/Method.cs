using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// A typed gRPC method taken from a protobuf service descriptor: its path
/// <c>/package.Service/Method</c>, its shape and its message parsers. Client and server
/// share it, so both agree on the route by construction.
/// </summary>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private Method(MethodType type, string serviceName, string name)
    {
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = $"/{serviceName}/{name}";
    }

    /// <summary>The call shape.</summary>
    public MethodType Type { get; }

    /// <summary>The protobuf service name, <c>package.Service</c>.</summary>
    public string ServiceName { get; }

    /// <summary>The method name.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 <c>:path</c>, <c>/package.Service/Method</c> (GRPC.md §1.1).</summary>
    public string FullName { get; }

    /// <summary>Parses requests.</summary>
    public MessageParser<TRequest> RequestParser { get; } = new(static () => new TRequest());

    /// <summary>Parses responses.</summary>
    public MessageParser<TResponse> ResponseParser { get; } = new(static () => new TResponse());

    /// <summary>
    /// The method <paramref name="methodName"/> of <paramref name="service"/>; throws if its
    /// message types are not <typeparamref name="TRequest"/> and <typeparamref name="TResponse"/>.
    /// </summary>
    public static Method<TRequest, TResponse> From(ServiceDescriptor service, string methodName)
    {
        MethodDescriptor method = service.FindMethodByName(methodName)
            ?? throw new ArgumentException($"{service.FullName} has no method {methodName}.", nameof(methodName));
        CheckType(method.InputType, typeof(TRequest), method);
        CheckType(method.OutputType, typeof(TResponse), method);
        MethodType type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        return new Method<TRequest, TResponse>(type, service.FullName, method.Name);
    }

    /// <inheritdoc />
    public override string ToString() => FullName;

    private static void CheckType(MessageDescriptor declared, Type actual, MethodDescriptor method)
    {
        if (declared.ClrType != actual)
        {
            throw new ArgumentException(
                $"{method.FullName} uses {declared.FullName}, not {actual.Name}.", nameof(method));
        }
    }
}
