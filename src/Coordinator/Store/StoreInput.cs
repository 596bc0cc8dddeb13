namespace HyperSwarm.Coordinator.Store;

// Argument checks every store implementation applies before touching its database, so both
// refuse the same calls in the same words. These are caller bugs, hence ArgumentException.
internal static class StoreInput
{
    public static void Event(string kind, string payloadJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(payloadJson);
    }

    public static void Batch(IReadOnlyList<EventToAppend> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
            throw new ArgumentException("A batch must hold at least one event.", nameof(events));
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(events));
            Event(e.Kind, e.PayloadJson);
        }
    }

    public static void AfterSequence(long afterSequence) =>
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);

    public static void Snapshot(long sequence, string snapshotJson)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentNullException.ThrowIfNull(snapshotJson);
    }

    public static void RunMetadata(string runId, string configYaml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(configYaml);
    }

    public static void Checkpoint(string memberId, long step, string path, long sizeBytes, string sha256, string workerAddress)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(memberId);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        ArgumentNullException.ThrowIfNull(workerAddress);
        // Same form as the checkpoint header's hs.sha256 (docs/checkpoints.md), so they compare as text.
        if (sha256 is null || sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException("A checkpoint's sha256 must be 64 lower-case hex digits.", nameof(sha256));
    }

    public static void Key(CheckpointKey checkpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpoint.MemberId, nameof(checkpoint));
        ArgumentOutOfRangeException.ThrowIfNegative(checkpoint.Step, nameof(checkpoint));
    }
}
