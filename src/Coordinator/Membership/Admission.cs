namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// The registry's answer to a message from a worker (report, heartbeat, checkpoint notice, departure).
/// Anything but <see cref="AdmissionVerdict.Accepted"/> means: drop the message and tell the
/// worker to rejoin.
/// </summary>
/// <param name="Verdict">Accepted, or the reason for refusing.</param>
/// <param name="WorkerId">The worker the message claims to come from.</param>
/// <param name="MessageEpoch">The epoch the message carried.</param>
/// <param name="CurrentEpoch">The epoch of the worker's latest lease; 0 for an unknown worker.</param>
public readonly record struct Admission(AdmissionVerdict Verdict, string WorkerId, long MessageEpoch, long CurrentEpoch)
{
    /// <summary>True when the message may be applied.</summary>
    public bool IsAccepted => Verdict == AdmissionVerdict.Accepted;

    /// <summary>One sentence for logs and the status message sent back to the worker.</summary>
    public string Describe() => Verdict switch
    {
        AdmissionVerdict.Accepted => $"Worker '{WorkerId}' epoch {MessageEpoch} accepted.",
        AdmissionVerdict.UnknownWorker => $"Worker '{WorkerId}' has no lease; it must join first.",
        AdmissionVerdict.StaleEpoch => $"Worker '{WorkerId}' sent epoch {MessageEpoch}, older than its current epoch {CurrentEpoch}; it has been fenced.",
        AdmissionVerdict.FutureEpoch => $"Worker '{WorkerId}' sent epoch {MessageEpoch}, which was never issued to it (current {CurrentEpoch}).",
        AdmissionVerdict.LeaseExpired => $"The lease of worker '{WorkerId}' (epoch {CurrentEpoch}) expired before its node joined the cluster; it must join again.",
        AdmissionVerdict.DeclaredDown => $"Worker '{WorkerId}' (epoch {CurrentEpoch}) was declared down (its node left the cluster); it must join again.",
        AdmissionVerdict.Left => $"Worker '{WorkerId}' (epoch {CurrentEpoch}) has left; it must rejoin.",
        _ => $"Worker '{WorkerId}': {Verdict}.",
    };
}
