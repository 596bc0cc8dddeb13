using System.Net;
using System.Net.Http.Headers;
using System.Globalization;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// How the client turns what it saw into a status: <c>grpc-status</c> headers, HTTP status
/// codes of non-gRPC answers (GRPC.md §1.3), RST_STREAM codes and transport failures (§1.4).
/// </summary>
internal static class ClientStatusMapping
{
    /// <summary>The status in <paramref name="headers"/>, or null when there is none.</summary>
    public static GrpcStatus? FromHeaders(HttpHeaders headers)
    {
        if (!headers.TryGetValues(ReservedHeaders.Status, out IEnumerable<string>? values))
        {
            return null;
        }

        string text = values.First();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int code) || code > 16)
        {
            return new GrpcStatus(GrpcStatusCode.Unknown, $"Unexpected grpc-status '{text}'.");
        }

        string message = headers.TryGetValues(ReservedHeaders.Message, out IEnumerable<string>? messages)
            ? StatusMessageEncoding.Decode(messages.First())
            : "";
        return new GrpcStatus((GrpcStatusCode)code, message);
    }

    /// <summary>A status made up for a response that is not gRPC (GRPC.md §1.3).</summary>
    public static GrpcStatus FromHttpStatus(HttpStatusCode status)
    {
        GrpcStatusCode code = (int)status switch
        {
            400 => GrpcStatusCode.Internal,
            401 => GrpcStatusCode.Unauthenticated,
            403 => GrpcStatusCode.PermissionDenied,
            404 => GrpcStatusCode.Unimplemented,
            429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
            _ => GrpcStatusCode.Unknown,
        };
        return new GrpcStatus(code, $"Bad gRPC response. HTTP status code: {(int)status}");
    }

    /// <summary>RST_STREAM error codes as the receiving side sees them (GRPC.md §1.4).</summary>
    public static GrpcStatus FromResetCode(long errorCode, string detail)
    {
        GrpcStatusCode code = errorCode switch
        {
            0x7 => GrpcStatusCode.Unavailable, // REFUSED_STREAM: safe to retry
            0x8 => GrpcStatusCode.Cancelled, // CANCEL
            0xB => GrpcStatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
            0xC => GrpcStatusCode.PermissionDenied, // INADEQUATE_SECURITY
            _ => GrpcStatusCode.Internal,
        };
        return new GrpcStatus(code, detail);
    }

    /// <summary>A transport failure: a reset stream keeps its code, anything else is UNAVAILABLE.</summary>
    public static GrpcStatus FromTransport(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException protocol)
            {
                return FromResetCode(protocol.ErrorCode, protocol.Message);
            }
        }

        return new GrpcStatus(GrpcStatusCode.Unavailable, failure.Message);
    }
}
