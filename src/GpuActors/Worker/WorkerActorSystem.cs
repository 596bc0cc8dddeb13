using Akka.Actor;
using Akka.Configuration;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// The worker node's Akka actor system (DESIGN.md §3 step 4): local for now, member actors on
/// a pinned dispatcher (one OS thread each: libtorch's grad mode, thread count and CUDA stream
/// are per thread), member failures stopped by <see cref="MemberSupervision"/>, and Akka's own
/// log kept to warnings so it does not write over the worker's display.
/// </summary>
public static class WorkerActorSystem
{
    /// <summary>The actor system's name (in every actor path).</summary>
    public const string Name = "hyperswarm-worker";

    /// <summary>The dispatcher member actors run on: <c>PinnedDispatcher</c>, one dedicated thread per actor.</summary>
    public const string MemberDispatcher = "hyperswarm.member-dispatcher";

    /// <summary>The system's HOCON; tests build their TestKit system from it too.</summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters-during-shutdown = off
          actor {
            provider = local
            guardian-supervisor-strategy = "{{typeof(MemberSupervision).AssemblyQualifiedName}}"
          }
        }
        hyperswarm.member-dispatcher {
          type = PinnedDispatcher
        }
        """);

    /// <summary>Starts the worker's actor system.</summary>
    public static ActorSystem Create() => ActorSystem.Create(Name, Config);
}
