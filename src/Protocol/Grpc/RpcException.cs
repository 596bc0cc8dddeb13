namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// The one exception type the Protocol layer throws and catches (STYLE.md §3.4 rule 7):
/// a call that ended with a status other than OK.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates the exception for <paramref name="status"/> and optional trailers.</summary>
    public RpcException(GrpcStatus status, Metadata? trailers = null)
        : base(status.ToString())
    {
        Status = status;
        Trailers = trailers ?? new Metadata();
    }

    /// <summary>Shorthand for a status built from a code and a message.</summary>
    public RpcException(GrpcStatusCode code, string message)
        : this(new GrpcStatus(code, message))
    {
    }

    /// <summary>The status the call ended with.</summary>
    public GrpcStatus Status { get; }

    /// <summary>The code of <see cref="Status"/>.</summary>
    public GrpcStatusCode StatusCode => Status.Code;

    /// <summary>Trailing metadata the server sent with the status, if any.</summary>
    public Metadata Trailers { get; }
}
