namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// Header names that belong to HTTP/2 or to the gRPC runtime and are therefore never
/// surfaced as custom metadata (GRPC.md §1.1, §1.3).
/// </summary>
internal static class ReservedHeaders
{
    public const string ContentType = "content-type";
    public const string Te = "te";
    public const string Timeout = "grpc-timeout";
    public const string Encoding = "grpc-encoding";
    public const string AcceptEncoding = "grpc-accept-encoding";
    public const string Status = "grpc-status";
    public const string Message = "grpc-message";
    public const string GrpcContentType = "application/grpc";

    private static readonly HashSet<string> Transport = new(StringComparer.OrdinalIgnoreCase)
    {
        ContentType, Te, "user-agent", "host", "content-length", "accept-encoding",
        "connection", "date", "server", "transfer-encoding", "trailer",
    };

    public static bool IsReserved(string name) =>
        name.StartsWith(':') || name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) || Transport.Contains(name);

    public static bool IsGrpcContentType(string? value) =>
        value is not null && value.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase)
        && (value.Length == GrpcContentType.Length || value[GrpcContentType.Length] is '+' or ';');
}
