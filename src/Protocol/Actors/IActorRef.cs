namespace HyperSwarm.Protocol.Actors;

/// <summary>An actor seen without its message type: enough to stop it or watch it end.</summary>
public interface IActorRef
{
    /// <summary>The actor's path, e.g. <c>/coordinator/worker-3</c>.</summary>
    string Path { get; }

    /// <summary>Completes when the actor has stopped for good.</summary>
    Task Completion { get; }

    /// <summary>Asks the actor to stop after its current message; returns <see cref="Completion"/>.</summary>
    Task StopAsync();
}
