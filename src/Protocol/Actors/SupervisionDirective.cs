namespace HyperSwarm.Protocol.Actors;

/// <summary>What to do with an actor whose handler threw.</summary>
public enum SupervisionDirective
{
    /// <summary>A fresh instance, after a backoff; the mailbox is kept.</summary>
    Restart,
    /// <summary>Keep the instance and its state; drop the failing message.</summary>
    Resume,
    /// <summary>Stop the actor.</summary>
    Stop,
    /// <summary>Stop the actor and hand the failure to its parent.</summary>
    Escalate,
}
