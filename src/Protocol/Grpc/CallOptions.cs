namespace HyperSwarm.Protocol.Grpc;

/// <summary>Per-call settings for a client call.</summary>
/// <param name="Headers">Custom metadata to send (GRPC.md §1.1).</param>
/// <param name="Deadline">UTC instant by which the call must finish; null for none (GRPC.md §1.6).</param>
/// <param name="CancellationToken">Cancels the call: RST_STREAM(CANCEL), status CANCELLED.</param>
public readonly record struct CallOptions(
    Metadata? Headers = null,
    DateTime? Deadline = null,
    CancellationToken CancellationToken = default)
{
    /// <summary>Options with a deadline <paramref name="timeout"/> from now.</summary>
    public static CallOptions WithTimeout(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(Deadline: DateTime.UtcNow + timeout, CancellationToken: cancellationToken);
}
