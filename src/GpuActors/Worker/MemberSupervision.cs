using Akka.Actor;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// How the worker's user guardian supervises member actors (<c>guardian-supervisor-strategy</c>
/// in <see cref="WorkerActorSystem.Config"/>): a member that throws is stopped, never restarted,
/// because a fresh instance would not own the run in flight. The member reports its failure
/// itself, as <see cref="MemberEvent.Ended"/> with the error, and the node logs it once, so
/// Akka does not log it again.
/// </summary>
public sealed class MemberSupervision : SupervisorStrategyConfigurator
{
    /// <inheritdoc />
    public override SupervisorStrategy Create() => new OneForOneStrategy(static _ => Directive.Stop, loggingEnabled: false);
}
