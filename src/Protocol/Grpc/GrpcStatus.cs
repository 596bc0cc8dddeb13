namespace HyperSwarm.Protocol.Grpc;

/// <summary>The outcome of a call: a code and a human-readable message (GRPC.md §1.3).</summary>
/// <param name="Code">The status code sent as <c>grpc-status</c>.</param>
/// <param name="Message">The text sent, percent-encoded, as <c>grpc-message</c>.</param>
public readonly record struct GrpcStatus(GrpcStatusCode Code, string Message = "")
{
    /// <summary>The status of a call that succeeded.</summary>
    public static GrpcStatus Ok { get; } = new(GrpcStatusCode.Ok);

    /// <inheritdoc />
    public override string ToString() =>
        Message.Length == 0 ? Code.ToString() : $"{Code}: {Message}";
}
