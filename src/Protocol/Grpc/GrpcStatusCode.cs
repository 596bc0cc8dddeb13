namespace HyperSwarm.Protocol.Grpc;

/// <summary>The 17 gRPC status codes, with their wire values (GRPC.md §1.4, statuscodes.md).</summary>
public enum GrpcStatusCode
{
    /// <summary>Not an error.</summary>
    Ok = 0,
    /// <summary>The caller cancelled the call.</summary>
    Cancelled = 1,
    /// <summary>An error the library could not classify, e.g. a handler exception.</summary>
    Unknown = 2,
    /// <summary>The client sent an invalid argument (application code only).</summary>
    InvalidArgument = 3,
    /// <summary>The deadline passed before the call completed.</summary>
    DeadlineExceeded = 4,
    /// <summary>A requested entity was not found (application code only).</summary>
    NotFound = 5,
    /// <summary>The entity the client tried to create exists (application code only).</summary>
    AlreadyExists = 6,
    /// <summary>The caller may not perform this operation.</summary>
    PermissionDenied = 7,
    /// <summary>A resource ran out, e.g. a message over the size limit.</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in a state to run the operation (application code only).</summary>
    FailedPrecondition = 9,
    /// <summary>The operation was aborted, e.g. a concurrency conflict (application code only).</summary>
    Aborted = 10,
    /// <summary>The operation went past the valid range (application code only).</summary>
    OutOfRange = 11,
    /// <summary>The method, service, encoding or cardinality is not supported.</summary>
    Unimplemented = 12,
    /// <summary>A broken invariant, e.g. a malformed frame or an unparsable message.</summary>
    Internal = 13,
    /// <summary>The service is unreachable or shutting down; safe to retry.</summary>
    Unavailable = 14,
    /// <summary>Unrecoverable data loss or corruption (application code only).</summary>
    DataLoss = 15,
    /// <summary>The call has no valid credentials.</summary>
    Unauthenticated = 16,
}
