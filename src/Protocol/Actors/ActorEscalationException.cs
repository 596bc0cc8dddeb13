namespace HyperSwarm.Protocol.Actors;

/// <summary>A child actor failed too often and handed its failure to its parent.</summary>
public sealed class ActorEscalationException : Exception
{
    /// <summary>Creates the exception for the child at <paramref name="childPath"/>.</summary>
    public ActorEscalationException(string childPath, Exception error)
        : base($"{childPath} escalated: {error.Message}", error)
    {
        ChildPath = childPath;
    }

    /// <summary>The child that escalated.</summary>
    public string ChildPath { get; }
}
