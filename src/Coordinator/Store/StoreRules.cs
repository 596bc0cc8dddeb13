namespace HyperSwarm.Coordinator.Store;

// The rules the stored state imposes on a request, shared by every implementation so both
// refuse the same requests with the same sentence.
internal static class StoreRules
{
    // A snapshot must not claim events the log lacks, nor go back behind the latest one.
    public static void CheckSnapshot(string store, long sequence, long lastSequence, long? latestSnapshot)
    {
        if (sequence > lastSequence)
            throw new StoreException($"A snapshot at sequence {sequence} is ahead of the event log in {store}, which ends at {lastSequence}.");
        if (sequence < latestSnapshot)
            throw new StoreException($"A snapshot at sequence {sequence} is older than the latest one in {store}, at {latestSnapshot}.");
    }

    // True when the metadata must be written; false when it already holds these values.
    public static bool CheckRunMetadata(string store, RunMetadata? existing, string runId, string configYaml)
    {
        if (existing is null)
            return true;
        if (existing.RunId != runId)
            throw new StoreException($"The store {store} belongs to run '{existing.RunId}', not '{runId}'.");
        if (existing.ConfigYaml != configYaml)
            throw new StoreException($"The store {store} already holds a different config for run '{runId}'; a run's config is set once.");
        return false;
    }

    public static StoreException UnknownCheckpoint(string store, CheckpointKey checkpoint) =>
        new($"The store {store} has no checkpoint of member '{checkpoint.MemberId}' at step {checkpoint.Step}.");
}
